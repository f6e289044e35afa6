from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

router = APIRouter(prefix="/parcels", tags=["parcels"])


class ParcelStatus(BaseModel):
    parcel_id: str
    status: str
    updated_at: datetime
    location: str | None = None


@router.get("/{parcel_id}")
async def get_parcel(parcel_id: str, request: Request):
    row = await request.app.state.pool.fetchrow(
        "SELECT id, carrier, created_at FROM parcels WHERE id = $1", parcel_id
    )
    if row is None:
        raise HTTPException(status_code=404, detail="unknown parcel")
    return dict(row)


@router.get("/{parcel_id}/status", response_model=ParcelStatus)
async def get_status(parcel_id: str, request: Request):
    row = await request.app.state.pool.fetchrow(
        "SELECT parcel_id, status, updated_at, location FROM parcel_status "
        "WHERE parcel_id = $1 ORDER BY updated_at DESC LIMIT 1",
        parcel_id,
    )
    if row is None:
        raise HTTPException(status_code=404, detail="no status yet")
    return ParcelStatus(**dict(row))
