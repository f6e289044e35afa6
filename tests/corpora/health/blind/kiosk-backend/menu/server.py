import datetime as dt
import json
import os

import aiomcache
from sanic import Sanic
from sanic.response import json as json_response

app = Sanic("menu")  # ok: HEALTH
MENU_FILE = os.environ.get("MENU_FILE", "/data/menu.json")


@app.before_server_start
async def setup(app, _loop):
    app.ctx.mc = aiomcache.Client(os.environ.get("MEMCACHED_HOST", "memcached"), 11211)


@app.get("/healthz")
async def healthz(request):
    return json_response({"ok": True})


@app.get("/menus/today")
async def today(request):
    cached = await app.ctx.mc.get(b"menu:today")
    if cached:
        return json_response(json.loads(cached))
    with open(MENU_FILE) as fh:
        menus = json.load(fh)
    menu = menus.get(dt.date.today().isoformat(), [])
    await app.ctx.mc.set(b"menu:today", json.dumps(menu).encode(), exptime=300)
    return json_response(menu)


@app.get("/menus/<menu_id:int>")
async def by_id(request, menu_id: int):
    with open(MENU_FILE) as fh:
        for items in json.load(fh).values():
            for item in items:
                if item["id"] == menu_id:
                    return json_response(item)
    return json_response({"error": "not found"}, status=404)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000, access_log=False)
