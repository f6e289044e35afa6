from aiohttp import web


async def admin_health(request: web.Request) -> web.Response:
    # Served at /admin/health once mounted; used by the on-call runbook only.
    return web.json_response({"status": "ok", "subapp": "admin"})


async def config_dump(request: web.Request) -> web.Response:
    return web.json_response({"kafka_bootstrap": request.config_dict["kafka_bootstrap"]})


def build_admin() -> web.Application:
    admin = web.Application()  # ok: HEALTH
    admin.router.add_get("/health", admin_health)
    admin.router.add_get("/config", config_dump)
    return admin
