"""
Edge gateway: polls Modbus-TCP devices on the plant network and forwards
readings to the cloud. Runs on the little ARM box in the electrical room.
"""
import http.client as hc
import json
import logging
import socket
import struct
import threading
import time
from socket import create_connection as connect_tcp

log = logging.getLogger("gateway")

CLOUD_HOST = "ingest.plantcloud.example"
OTA_HOST = "10.20.0.5"
OTA_PORT = 8000


class DeviceLink(object):
    def __init__(self, host, port=502, unitId=1):
        self.host = host
        self.port = port
        self.unitId = unitId
        self.sock = None
        self.txId = 0

    def open(self):
        self.sock = socket.create_connection((self.host, self.port))  # expect: TMO004
        self.sock.settimeout(5)

    def close(self):
        if self.sock:
            self.sock.close()
            self.sock = None

    def readRegisters(self, addr, count):
        self.txId = (self.txId + 1) & 0xFFFF
        pdu = struct.pack(">BHH", 3, addr, count)
        mbap = struct.pack(">HHHB", self.txId, 0, len(pdu) + 1, self.unitId)
        self.sock.sendall(mbap + pdu)
        hdr = self.sock.recv(9)
        n = hdr[8]
        data = self.sock.recv(n)
        return list(struct.unpack(">%dH" % (n // 2), data))


class FastDeviceLink(DeviceLink):
    def open(self):
        self.sock = connect_tcp((self.host, self.port), 2.0)  # ok: TMO004


class CloudUplink(object):
    def __init__(self, host, token):
        self.host = host
        self.token = token

    def _conn(self):
        return hc.HTTPSConnection(self.host)  # expect: TMO003

    def publish(self, deviceId, reading):
        c = self._conn()
        try:
            c.request("POST", "/v1/devices/%s/readings" % deviceId, json.dumps(reading),  # ok: TMO001
                      {"Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            return r.status == 202
        finally:
            c.close()

    def fetchConfig(self, deviceId):
        c = hc.HTTPSConnection(self.host, timeout=10)  # ok: TMO003
        c.request("GET", "/v1/devices/%s/config" % deviceId, headers={"Authorization": "Bearer " + self.token})
        return json.loads(c.getresponse().read())


def openOtaStream(path):
    c = hc.HTTPConnection(OTA_HOST, OTA_PORT, None)  # expect: TMO003
    c.request("GET", path)
    return c.getresponse()


def localApiStatus():
    conn = hc.HTTPConnection("127.0.0.1", 8081)  # expect: TMO003
    conn.request("GET", "/status")
    return json.loads(conn.getresponse().read())


def localApiStatusQuick():
    conn = hc.HTTPConnection("127.0.0.1", 8081, timeout=0.5)  # ok: TMO003
    conn.request("GET", "/status")
    return conn.getresponse().status == 200


def discover(subnet, port=502):
    found = []
    for i in range(1, 255):
        host = "%s.%d" % (subnet, i)
        try:
            s = socket.create_connection((host, port), 0.2)  # ok: TMO004
            s.close()
            found.append(host)
        except OSError:
            pass
    return found


def syslogForward(line, server=("10.20.0.2", 6514)):
    s = connect_tcp(server)  # expect: TMO004
    try:
        s.sendall(line.encode("utf-8") + b"\n")
    finally:
        s.close()


def ntpOffset(server="pool.ntp.org"):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # ok: TMO004
    s.settimeout(2)
    try:
        s.sendto(b"\x1b" + 47 * b"\0", (server, 123))
        data, _ = s.recvfrom(48)
    finally:
        s.close()
    t = struct.unpack("!12I", data)[10] - 2208988800
    return t - time.time()


class Watchdog(threading.Thread):
    daemon = True

    def run(self):
        while True:
            try:
                socket.create_connection((CLOUD_HOST, 443), timeout=3).close()  # ok: TMO004
                self.online = True
            except OSError:
                self.online = False
            time.sleep(30)


def pollLoop(devices, uplink, interval=10):
    links = dict((d["id"], DeviceLink(d["host"], d.get("port", 502))) for d in devices)
    for link in links.values():
        link.open()  # ok: TMO002
    while True:
        for devId, link in links.items():
            try:
                regs = link.readRegisters(0, 10)
                uplink.publish(devId, {"ts": int(time.time()), "regs": regs})
            except (OSError, hc.HTTPException):
                log.exception("device %s", devId)
                link.close()
                link.open()  # ok: TMO002
        time.sleep(interval)


if __name__ == "__main__":
    import sys
    cfg = json.load(open(sys.argv[1]))
    pollLoop(cfg["devices"], CloudUplink(CLOUD_HOST, cfg["token"]))
