"""Orders API (Falcon, WSGI)."""
import json
import os

import falcon
import pymysql


def connect():
    return pymysql.connect(
        host=os.environ.get("DB_HOST", "db"),
        user=os.environ.get("DB_USER", "kiosk"),
        password=os.environ.get("DB_PASSWORD", ""),
        database="kiosk",
        autocommit=True,
        cursorclass=pymysql.cursors.DictCursor,
    )


class StatusResource:
    """Traefik's health check hits GET /status."""

    def on_get(self, req, resp):
        with connect() as conn, conn.cursor() as cur:
            cur.execute("SELECT 1")
        resp.media = {"status": "ok"}


class OrdersResource:
    def on_post(self, req, resp):
        order = req.get_media()
        with connect() as conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO orders (kiosk_id, items, total_cents) VALUES (%s, %s, %s)",
                (order["kiosk_id"], json.dumps(order["items"]), order["total_cents"]),
            )
            order_id = cur.lastrowid
        resp.status = falcon.HTTP_201
        resp.media = {"id": order_id}


class OrderResource:
    def on_get(self, req, resp, order_id: int):
        with connect() as conn, conn.cursor() as cur:
            cur.execute("SELECT id, items, total_cents, state FROM orders WHERE id = %s", (order_id,))
            row = cur.fetchone()
        if row is None:
            raise falcon.HTTPNotFound()
        resp.media = row


app = falcon.App(cors_enable=True)  # ok: HEALTH
app.add_route("/status", StatusResource())
app.add_route("/orders", OrdersResource())
app.add_route("/orders/{order_id:int}", OrderResource())
