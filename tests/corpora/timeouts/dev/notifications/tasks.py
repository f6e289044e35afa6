import json
import logging
import smtplib
from email.message import EmailMessage

import requests
from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail

logger = logging.getLogger(__name__)

SLACK_WEBHOOK_URL = settings.SLACK_WEBHOOK_URL
WEBHOOK_TIMEOUT = 10


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def send_slack_message(self, channel, text):
    payload = {"channel": channel, "text": text}
    try:
        resp = requests.post(SLACK_WEBHOOK_URL, data=json.dumps(payload))  # expect: TMO001
        resp.raise_for_status()
    except requests.RequestException as exc:
        raise self.retry(exc=exc)


@shared_task(bind=True, max_retries=8)
def deliver_webhook(self, endpoint_id, event):
    endpoint = cache.get(f"webhook-endpoint:{endpoint_id}")  # ok: TMO001
    if endpoint is None:
        logger.warning("unknown webhook endpoint %s", endpoint_id)
        return None
    headers = {
        "Content-Type": "application/json",
        "X-Signature": event.get("signature", ""),  # ok: TMO001
    }
    try:
        resp = requests.post(  # ok: TMO001
            endpoint["url"], json=event, headers=headers, timeout=WEBHOOK_TIMEOUT
        )
    except requests.Timeout as exc:
        raise self.retry(exc=exc, countdown=2 ** self.request.retries)
    return resp.status_code


@shared_task
def send_sms(phone_number, body):
    resp = requests.post(  # expect: TMO001
        "https://api.sms-gateway.example.com/2010-04-01/Messages.json",
        auth=(settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN),
        data={"To": phone_number, "From": settings.SMS_FROM, "Body": body},
        timeout=(3.05, None),
    )
    resp.raise_for_status()
    return resp.json()["sid"]


def render_receipt(order_id):
    data = requests.get(f"{settings.ORDERS_API}/orders/{order_id}/receipt", timeout=5).json()  # ok: TMO001
    lines = [f"{item['name']}: {item['price']}" for item in data.get("items", [])]
    lines.append(f"Total: {data['total']}")
    return "\n".join(lines)


@shared_task
def send_receipt_email(order_id, recipient):
    msg = EmailMessage()
    msg["Subject"] = f"Your receipt for order {order_id}"
    msg["From"] = settings.DEFAULT_FROM_EMAIL
    msg["To"] = recipient
    msg.set_content(render_receipt(order_id))
    with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:  # expect: TMO005
        smtp.starttls()
        smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        smtp.send_message(msg)


@shared_task
def send_password_reset(recipient, link):
    msg = EmailMessage()
    msg["Subject"] = "Reset your password"
    msg["From"] = settings.DEFAULT_FROM_EMAIL
    msg["To"] = recipient
    msg.set_content(f"Follow this link to reset your password: {link}")
    server = smtplib.SMTP(settings.EMAIL_HOST, 587, timeout=settings.EMAIL_TIMEOUT)  # ok: TMO005
    try:
        server.starttls()
        server.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        server.send_message(msg)
    finally:
        server.quit()


@shared_task
def send_digest(recipient, items):
    body = "\n".join(f"- {i['title']}" for i in items)
    send_mail("Your weekly digest", body, settings.DEFAULT_FROM_EMAIL, [recipient])  # ok: TMO005


@shared_task
def push_to_devices(user_id, title, body):
    tokens = cache.get(f"push-tokens:{user_id}") or []  # ok: TMO001
    results = [
        requests.post(settings.PUSH_URL, json={"token": t, "title": title, "body": body})  # expect: TMO001
        for t in tokens
    ]
    return [r.status_code for r in results]


@shared_task
def sync_unsubscribes():
    resp = requests.get(  # expect: TMO001
        f"{settings.ESP_API}/suppressions",
        headers={"Authorization": f"Bearer {settings.ESP_TOKEN}"},
    )
    for entry in resp.json():
        cache.set(f"suppressed:{entry['email']}", True, timeout=None)  # ok: TMO001
    return len(resp.json())


@shared_task
def send_bulk_via_relay(recipients, subject, body):
    relay = smtplib.SMTP()  # expect: TMO005
    relay.connect(settings.RELAY_HOST, 25)
    try:
        for rcpt in recipients:
            relay.sendmail(settings.DEFAULT_FROM_EMAIL, [rcpt], f"Subject: {subject}\n\n{body}")
    finally:
        relay.quit()
