from decimal import Decimal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session

router = APIRouter(prefix="/accounts", tags=["accounts"])


class Posting(BaseModel):
    debit: str
    credit: str
    amount: Decimal
    currency: str
    reference: str


@router.get("/{account_id}/balance")
async def balance(account_id: str, session: AsyncSession = Depends(get_session)) -> dict:
    row = (await session.execute(
        text("SELECT currency, sum(amount) FROM postings WHERE account_id = :a GROUP BY currency"),
        {"a": account_id},
    )).all()
    if not row:
        raise HTTPException(404, "no such account")
    return {currency: str(total) for currency, total in row}


@router.post("/postings", status_code=201)
async def post(posting: Posting, session: AsyncSession = Depends(get_session)) -> dict:
    async with session.begin():
        await session.execute(
            text("INSERT INTO postings (account_id, amount, currency, reference) VALUES "
                 "(:d, -:amt, :cur, :ref), (:c, :amt, :cur, :ref)"),
            {"d": posting.debit, "c": posting.credit, "amt": posting.amount,
             "cur": posting.currency, "ref": posting.reference},
        )
    return {"reference": posting.reference}
