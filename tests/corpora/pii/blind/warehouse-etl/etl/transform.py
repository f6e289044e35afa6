"""Transform step: cleaning and pseudonymisation before data lands in dw.*.

Analysts never see raw emails or phone numbers: we keep a salted hash for
joins and drop the raw columns.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import pandas as pd
from loguru import logger

from etl.privacy import hash_email, hash_phone

PHONE_CLEAN = re.compile(r"[^\d+]")
PII_COLUMNS = ["email", "phone", "date_of_birth", "street", "postcode"]


@dataclass
class Customer:
    id: int
    email: str
    phone: str | None
    country: str
    date_of_birth: str | None = None


def normalise_phone(raw_phone: str | None) -> str | None:
    if not raw_phone:
        return None
    cleaned = PHONE_CLEAN.sub("", raw_phone)
    if not cleaned.startswith("+"):
        logger.debug("phone without country code: {}", raw_phone)  # expect: PII
        return None
    return cleaned


def pseudonymise_customers(df: pd.DataFrame) -> pd.DataFrame:
    logger.info("pseudonymising {} customers, columns={}", len(df), list(df.columns))  # ok: PII
    logger.debug("first customer rows before hashing: {}", df.head(3).to_dict("records"))  # expect: PII
    out = df.copy()
    out["email_hash"] = out["email"].str.lower().map(hash_email)
    out["phone_hash"] = out["phone"].map(normalise_phone).map(hash_phone, na_action="ignore")
    out["birth_year"] = pd.to_datetime(out["date_of_birth"], errors="coerce").dt.year
    out = out.drop(columns=[c for c in PII_COLUMNS if c in out.columns])
    missing_email = int(df["email"].isna().sum())
    if missing_email:
        logger.warning("{} customers without email (email_missing_count)", missing_email)  # ok: PII
    return out


def validate(customers: list[Customer]) -> list[Customer]:
    valid = []
    for customer in customers:
        if "@" not in (customer.email or ""):
            logger.warning("dropping customer with invalid email: {}", asdict(customer))  # expect: PII
            continue
        if customer.date_of_birth and customer.date_of_birth > "2010-01-01":
            logger.warning("customer {} has implausible date of birth {}", customer.id, customer.date_of_birth)  # expect: PII
            continue
        valid.append(customer)
    dropped = len(customers) - len(valid)
    logger.info("validation dropped {} of {} customers", dropped, len(customers))  # ok: PII
    return valid


def dedupe(df: pd.DataFrame) -> pd.DataFrame:
    """Runs on the raw frame with email_hash added, before pseudonymise drops the raw columns."""
    dupes = df[df.duplicated("email_hash", keep=False)]
    if not dupes.empty:
        logger.info("found {} duplicate email hashes, e.g. {}", len(dupes), dupes["email_hash"].iloc[0])  # ok: PII
        logger.debug("duplicate emails: {}", dupes["email"].tolist())  # expect: PII
    return df.drop_duplicates("email_hash", keep="last")
