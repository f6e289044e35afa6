"""Monthly payroll run.

Builds the payment batch for the bank (SEPA XML) and records payslips.
"""
from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction

from core.privacy import hash_value, iban_is_valid, mask_iban
from employees.models import Employee

from .models import PayrollRun, Payslip
from .sepa import SepaBatch

logger = logging.getLogger(__name__)

PAYSLIP_TABLE = "payroll_payslip"


class RunLogger(logging.LoggerAdapter):
    """Prefixes every line with the payroll run id."""

    def process(self, msg, kwargs):
        return f"[run {self.extra['run_id']}] {msg}", kwargs


def _bank_details(employee: Employee) -> tuple[str, str]:
    details = employee.bank_details
    return details.iban, details.bic


def run_payroll(period: date, dry_run: bool = False) -> PayrollRun:
    run = PayrollRun.objects.create(period=period, dry_run=dry_run)
    log = RunLogger(logger, {"run_id": run.pk})
    log.info("starting payroll for %s (dry_run=%s)", period, dry_run)

    batch = SepaBatch(debtor_iban=settings.COMPANY_IBAN, execution_date=period)
    payslips = []
    for employee in Employee.objects.filter(terminated_on__isnull=True).select_related("bank_details"):
        iban, bic = _bank_details(employee)
        if not iban:
            log.warning("employee %s has no IBAN on file, skipping", employee.pk)
            continue
        gross = employee.monthly_salary
        net = gross - _withholding(employee, gross)
        batch.add(creditor_iban=iban, creditor_bic=bic, amount=net, reference=f"SALARY {period:%Y-%m}")
        log.debug("queued transfer of %s to %s for employee %s", net, iban, employee.pk)
        log.debug("queued transfer of %s to %s for employee %s", net, mask_iban(iban), employee.pk)
        payslips.append((run.pk, employee.pk, gross, net))

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.executemany(  # ok: SQLI
                f"INSERT INTO {PAYSLIP_TABLE} (run_id, employee_id, gross, net) VALUES (%s, %s, %s, %s)",
                payslips,
            )
    log.info("payroll prepared: %d payslips, total %s", len(payslips), batch.total)
    if not dry_run:
        batch.submit()
    return run


def _withholding(employee: Employee, gross: Decimal) -> Decimal:
    bracket = employee.tax_bracket or "standard"
    rate = settings.WITHHOLDING_RATES.get(bracket)
    if rate is None:
        logger.error(
            "no withholding rate for bracket %s (employee %s, tax id %s)",
            bracket,
            employee.pk,
            employee.national_insurance_number,
        )
        raise ValueError(bracket)
    return (gross * rate).quantize(Decimal("0.01"))


def verify_tax_id(employee_id: int, ssn: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(  # ok: SQLI
            "SELECT national_insurance_number = %s FROM employees_employee WHERE id = %s",
            [ssn, employee_id],
        )
        (matches,) = cursor.fetchone()
    if not matches:
        logger.warning("tax id mismatch for employee %s: got %s", employee_id, ssn)
    logger.info("tax id check for %s: match=%s ref=%s", employee_id, matches, hash_value(ssn))
    return matches


def payslips_for(employee_id: int, year: int, order: str = "period") -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(  # expect: SQLI
            "SELECT p.period, s.gross, s.net FROM %s s JOIN payroll_payrollrun p ON p.id = s.run_id "
            "WHERE s.employee_id = %%s AND extract(year FROM p.period) = %%s ORDER BY %s" % (PAYSLIP_TABLE, order),
            [employee_id, year],
        )
        return cursor.fetchall()


def rebuild_summary(year: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM payroll_yearsummary WHERE year = %s", [year])
        cursor.execute(  # expect: SQLI
            "INSERT INTO payroll_yearsummary (employee_id, year, gross, net) "
            "SELECT s.employee_id, {0}, sum(s.gross), sum(s.net) FROM {1} s "
            "JOIN payroll_payrollrun p ON p.id = s.run_id "
            "WHERE extract(year FROM p.period) = {0} GROUP BY s.employee_id".format(year, PAYSLIP_TABLE)
        )
    logger.info("rebuilt payroll summary for %s", year)


def update_bank_details(employee: Employee, iban: str, bic: str, changed_by) -> None:
    if not iban_is_valid(iban):
        logging.getLogger("hr.payroll.bank").warning("IBAN %s failed checksum for employee %s", iban, employee.pk)
        raise ValueError(f"invalid IBAN {iban} for employee {employee.pk}")
    employee.bank_details.iban = iban
    employee.bank_details.bic = bic
    employee.bank_details.save(update_fields=["iban", "bic"])
    logger.info(
        "bank details changed for %s by %s: new IBAN %s",
        employee.pk,
        changed_by,
        iban,
    )
    logger.info("bank details changed for %s by user %s (bic=%s)", employee.pk, changed_by.pk, bic)
