# -*- coding: utf-8 -*-
"""
Weather bot for the office Telegram group.

    /weather <city>   current conditions
    /forecast <city>  next 24h
"""
import logging
import os
import time

import requests as req

TOKEN = os.environ["TG_TOKEN"]
API = "https://api.telegram.org/bot%s/" % TOKEN
OWM = "https://api.openweathermap.org/data/2.5/"
OWM_KEY = os.environ.get("OWM_KEY")  # ok: TMO001
POLL_TIMEOUT = 30

log = logging.getLogger("weatherbot")

s = req.session()
s.headers["User-Agent"] = "office-weather-bot/0.3"


def tg(method, **params):
    r = s.post(API + method, data=params)  # expect: TMO001
    r.raise_for_status()
    return r.json()["result"]


def get_updates(offset):
    # long polling: telegram keeps the request open up to POLL_TIMEOUT seconds
    r = s.get(API + "getUpdates", params={"offset": offset, "timeout": POLL_TIMEOUT}, timeout=POLL_TIMEOUT + 5)  # ok: TMO001
    return r.json()["result"]


def get_updates_v1(offset):
    # old code path, kept for the staging bot; "timeout" here only goes to telegram
    return s.get(API + "getUpdates", params={"offset": offset, "timeout": 60}).json()["result"]  # expect: TMO001


def current_weather(city):
    r = req.get(OWM + "weather",  # expect: TMO001
                params={"q": city, "appid": OWM_KEY, "units": "metric"})
    if r.status_code == 404:
        return None
    d = r.json()
    return "%s: %.0f°C, %s" % (d["name"], d["main"]["temp"], d["weather"][0]["description"])


def forecast(city):
    r = req.get(OWM + "forecast", params={"q": city, "appid": OWM_KEY, "units": "metric", "cnt": 8}, timeout=10)  # ok: TMO001
    if not r.ok:
        return None
    lines = []
    for item in r.json()["list"]:
        lines.append("%s  %.0f°C" % (item["dt_txt"][11:16], item["main"]["temp"]))
    return "\n".join(lines)


def send_icon(chat_id, icon):
    img = req.get("https://openweathermap.org/img/wn/%s@2x.png" % icon, timeout=15).content  # ok: TMO001
    return s.post(API + "sendPhoto", data={"chat_id": chat_id}, files={"photo": img})  # expect: TMO001


def reply(chat_id, text):
    try:
        tg("sendMessage", chat_id=chat_id, text=text)
    except req.RequestException:
        log.exception("sendMessage failed")


def handle(update):
    msg = update.get("message") or {}  # ok: TMO001
    text = (msg.get("text") or "").strip()  # ok: TMO001
    if not text.startswith("/"):
        return
    chat = msg["chat"]["id"]
    cmd, _, arg = text.partition(" ")
    if cmd == "/weather":
        reply(chat, current_weather(arg or "Berlin") or "unknown city")
    elif cmd == "/forecast":
        reply(chat, forecast(arg or "Berlin") or "unknown city")
    elif cmd == "/ping":
        reply(chat, "pong")


def main():
    offset = None
    while True:
        try:
            updates = get_updates(offset)
        except req.exceptions.RequestException as e:
            log.warning("polling failed: %s", e)
            time.sleep(5)
            continue
        for u in updates:
            offset = u["update_id"] + 1
            handle(u)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
