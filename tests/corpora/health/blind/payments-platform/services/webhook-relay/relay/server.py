"""Receives PSP webhooks, verifies signatures and forwards them to ledger-api."""
import hashlib
import hmac
import logging
import os

from aiohttp import ClientSession, web

log = logging.getLogger("relay")

SECRETS = {
    "adyen": os.environ.get("ADYEN_HMAC_KEY", "").encode(),
    "stripe": os.environ.get("STRIPE_SIGNING_SECRET", "").encode(),
}
LEDGER_URL = os.environ.get("LEDGER_URL", "http://ledger-api.payments.svc/v1/accounts/postings")


def _verify(provider: str, body: bytes, signature: str) -> bool:
    key = SECRETS.get(provider)
    if not key:
        return False
    expected = hmac.new(key, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


async def receive(request: web.Request) -> web.Response:
    provider = request.match_info["provider"]
    body = await request.read()
    if not _verify(provider, body, request.headers.get("X-Signature", "")):
        raise web.HTTPUnauthorized()
    async with request.app["http"].post(LEDGER_URL, data=body,
                                        headers={"Content-Type": "application/json"}) as resp:
        if resp.status >= 500:
            raise web.HTTPBadGateway()
    return web.Response(status=204)


async def ping(request: web.Request) -> web.Response:
    return web.Response(text="pong")


async def _client(app: web.Application):
    app["http"] = ClientSession()
    yield
    await app["http"].close()


def build_app() -> web.Application:
    app = web.Application()  # ok: HEALTH
    app.cleanup_ctx.append(_client)
    app.add_routes([
        web.post("/webhooks/{provider}", receive),
        web.get("/ping", ping),
    ])
    return app


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    web.run_app(build_app(), port=int(os.environ.get("PORT", "8081")))
