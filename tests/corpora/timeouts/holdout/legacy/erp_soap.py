"""
SOAP calls into the ERP. No zeep in this image (ops refused), so the envelopes
are built by hand.
"""
import base64
import shutil
import ssl
import urllib.error
import urllib.request as ur
from urllib import request as urlrequest
from xml.etree import ElementTree

ENDPOINT = "https://erp.example.local/sap/bc/soap/rfc"
NS = {"soap": "http://schemas.xmlsoap.org/soap/envelope/"}

ENVELOPE = """<?xml version="1.0" encoding="utf-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                  xmlns:urn="urn:sap-com:document:sap:rfc:functions">
  <soapenv:Header/>
  <soapenv:Body>{body}</soapenv:Body>
</soapenv:Envelope>"""

_ctx = ssl.create_default_context(cafile="/etc/pki/erp-ca.pem")

_pw_mgr = ur.HTTPPasswordMgrWithDefaultRealm()
_opener = ur.build_opener(ur.HTTPBasicAuthHandler(_pw_mgr), ur.HTTPSHandler(context=_ctx))


def set_credentials(user, pw):
    _pw_mgr.add_password(None, ENDPOINT, user, pw)


def _headers(user, pw, action):
    token = base64.b64encode(("%s:%s" % (user, pw)).encode()).decode()
    return {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": "urn:sap-com:document:sap:rfc:functions:%s" % action,
        "Authorization": "Basic " + token,
    }


def call(action, body_xml, user, pw):
    data = ENVELOPE.format(body=body_xml).encode("utf-8")
    rq = urlrequest.Request(ENDPOINT, data=data, headers=_headers(user, pw, action))  # ok: TMO002
    resp = urlrequest.urlopen(rq, context=_ctx)  # expect: TMO002
    tree = ElementTree.fromstring(resp.read())
    return tree.find("soap:Body", NS)[0]


def call_with_deadline(action, body_xml, user, pw, seconds=60):
    data = ENVELOPE.format(body=body_xml).encode("utf-8")
    rq = urlrequest.Request(ENDPOINT, data=data, headers=_headers(user, pw, action))
    resp = urlrequest.urlopen(rq, timeout=seconds, context=_ctx)  # ok: TMO002
    return ElementTree.fromstring(resp.read()).find("soap:Body", NS)[0]


def ping(user, pw):
    # expect: TMO002
    resp = ur.urlopen(ur.Request(ENDPOINT, data=b"""<?xml version="1.0"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><urn:RFC_PING/></soapenv:Body></soapenv:Envelope>""",
        headers=_headers(user, pw, "RFC_PING")), context=_ctx)
    return resp.status == 200


def material(matnr, user, pw):
    body = "<urn:BAPI_MATERIAL_GET_DETAIL><MATERIAL>%s</MATERIAL></urn:BAPI_MATERIAL_GET_DETAIL>" % matnr
    return call_with_deadline("BAPI_MATERIAL_GET_DETAIL", body, user, pw)


def download_attachment(url, dest, user, pw):
    # expect: TMO002
    with ur.urlopen(ur.Request(url, headers=_headers(user, pw, "GET")), \
                    context=_ctx) as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out)


def fetch_wsdl():
    return _opener.open(ENDPOINT + "?wsdl").read()  # expect: TMO002


def fetch_wsdl_bounded():
    return _opener.open(ENDPOINT + "?wsdl", None, 20).read()  # ok: TMO002


def post_idoc(idoc_xml, user, pw):
    data = idoc_xml.encode("utf-8")
    try:
        resp = urlrequest.urlopen(  # expect: TMO002
            urlrequest.Request(ENDPOINT.replace("/rfc", "/idoc"), data=data, headers=_headers(user, pw, "IDOC")),
            context=_ctx,
        )
    except urllib.error.HTTPError as err:
        raise RuntimeError("ERP rejected IDoc: %s %s" % (err.code, err.read()[:500]))
    return resp.headers.get("sap-idoc-number")  # ok: TMO001


def exchange_rate(currency, user, pw):
    req = ur.Request(
        "https://erp.example.local/sap/opu/odata/sap/ZFX_SRV/Rates('%s')?$format=json" % currency,
        headers=_headers(user, pw, "GET"),
    )
    with ur.urlopen(req, None, 15, context=_ctx) as resp:  # ok: TMO002
        return resp.read()


def install_global_opener():
    ur.install_opener(_opener)
    return ur.urlopen(ENDPOINT + "?sap-client=100").status  # expect: TMO002
