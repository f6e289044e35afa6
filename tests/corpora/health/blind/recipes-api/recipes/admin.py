"""Back-office sub-application, mounted at /admin by main.py."""
from fastapi import FastAPI

admin_app = FastAPI(title="recipes admin", docs_url=None)  # ok: HEALTH


@admin_app.get("/healthz")
def admin_healthz() -> dict:
    # Reachable as /admin/healthz only.
    return {"ok": True}


@admin_app.post("/reindex")
def reindex() -> dict:
    from recipes.worker import enqueue_reindex

    enqueue_reindex()
    return {"queued": True}
