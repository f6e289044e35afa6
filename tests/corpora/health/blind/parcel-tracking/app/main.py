from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI

from app.routers import carriers, health, parcels
from app.settings import settings


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool(settings.database_dsn, min_size=1, max_size=10)
    try:
        yield
    finally:
        await app.state.pool.close()


app = FastAPI(title="Parcel Tracking", version="0.9.2", lifespan=lifespan)  # ok: HEALTH

app.include_router(health.router)
app.include_router(parcels.router)
app.include_router(carriers.router, prefix="/v2")
