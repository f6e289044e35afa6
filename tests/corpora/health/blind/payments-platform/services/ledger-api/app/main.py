from fastapi import FastAPI

from app import accounts, health

app = FastAPI(title="ledger-api", docs_url="/internal/docs", openapi_url="/internal/openapi.json")  # ok: HEALTH
app.include_router(health.router)
app.include_router(accounts.router, prefix="/v1")
