from fastapi import APIRouter, HTTPException

router = APIRouter(prefix="/carriers", tags=["carriers"])

KNOWN = {"dhl", "ups", "postnl", "gls"}


@router.get("/{code}/ping")
async def ping_carrier(code: str) -> dict:
    """Probe the carrier's tracking API (used by the support dashboard)."""
    if code not in KNOWN:
        raise HTTPException(status_code=404)
    return {"carrier": code, "reachable": True}
