"""Import employees from the legacy HRIS CSV export.

    ./manage.py import_employees exports/hris-2024-05.csv --department-map dept_map.json
"""
import csv
import json
import logging

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from employees.models import Department, Employee

logger = logging.getLogger("hr.import")

STAGING_TABLE = "import_employee_staging"


class Command(BaseCommand):
    help = "Import employees from an HRIS CSV export"

    def add_arguments(self, parser):
        parser.add_argument("csv_path")
        parser.add_argument("--department-map", default=None)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--batch-tag", default="manual")

    def handle(self, *args, **opts):
        dept_map = {}
        if opts["department_map"]:
            with open(opts["department_map"]) as fh:
                dept_map = json.load(fh)

        with open(opts["csv_path"], newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
        self.stdout.write(f"read {len(rows)} rows from {opts['csv_path']}")

        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {STAGING_TABLE}")  # ok: SQLI
            cursor.executemany(  # ok: SQLI
                f"INSERT INTO {STAGING_TABLE} (external_id, first_name, last_name, work_email, phone, "
                "date_of_birth, national_insurance_number, department_code) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        r["EmployeeID"],
                        r["FirstName"],
                        r["LastName"],
                        r["Email"],
                        r["Phone"],
                        r["DOB"],
                        r["NINO"],
                        dept_map.get(r["Dept"], r["Dept"]),
                    )
                    for r in rows
                ],
            )
            cursor.execute(  # expect: SQLI
                f"UPDATE {STAGING_TABLE} SET batch_tag = '{opts['batch_tag']}' WHERE batch_tag IS NULL"
            )

        seen = set()
        for n, row in enumerate(rows, start=2):
            key = row["Email"].strip().lower()
            if key and key in seen:
                raise CommandError(f"duplicate email {key} on line {n}")
            seen.add(key)

        created = 0
        for row in rows:
            email = row["Email"].strip().lower()
            if not email:
                self.stderr.write(f"row {row['EmployeeID']}: missing email, skipped")
                continue
            if Employee.objects.filter(work_email=email).exists():
                self.stdout.write(f"exists: {email}")
                logger.info("skipping existing employee %s", email)
                continue
            department = Department.objects.filter(code=dept_map.get(row["Dept"], row["Dept"])).first()
            if department is None:
                print(f"unknown department {row['Dept']!r} for {row['FirstName']} {row['LastName']} <{email}>")
                continue
            if opts["dry_run"]:
                print("would create", row)
                continue
            employee = Employee.objects.create(
                external_id=row["EmployeeID"],
                first_name=row["FirstName"],
                last_name=row["LastName"],
                work_email=email,
                phone=row["Phone"],
                date_of_birth=row["DOB"],
                national_insurance_number=row["NINO"],
                department=department,
            )
            created += 1
            logger.debug("imported employee %s from row %s", employee.pk, row)

        logger.info("import finished: %d created, %d rows, email_count=%d", created, len(rows), len({r["Email"] for r in rows}))
        if created == 0 and not opts["dry_run"]:
            raise CommandError("nothing imported")
        self.stdout.write(self.style.SUCCESS(f"created {created} employees"))
