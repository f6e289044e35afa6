from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from employees.models import Employee

RETENTION_DAYS = 365 * 2
PII_COLUMNS = ("first_name", "last_name", "work_email", "phone", "home_address", "date_of_birth")
CHILD_TABLES = ("employees_emergencycontact", "employees_document", "payroll_bankdetails")


class Command(BaseCommand):
    help = "Blank personal data of employees who left more than RETENTION_DAYS ago (GDPR art. 17)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=RETENTION_DAYS)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days, dry_run, verbosity, **kwargs):
        cutoff = timezone.now().date() - timedelta(days=days)
        leavers = list(
            Employee.objects.filter(terminated_on__lt=cutoff, anonymized_at__isnull=True).values_list(
                "id", "work_email"
            )
        )
        if not leavers:
            self.stdout.write("nothing to do")
            return

        for employee_id, email in leavers:
            if verbosity > 1:
                print(f"anonymizing {employee_id} <{email}>")  # ok: PII
        if dry_run:
            self.stdout.write(f"dry run: {len(leavers)} employees would be anonymized")
            return

        ids = [employee_id for employee_id, _ in leavers]
        with connection.cursor() as cursor:
            for table in CHILD_TABLES:
                cursor.execute(f"DELETE FROM {table} WHERE employee_id = ANY(%s)", [ids])
            set_clause = ", ".join(f"{col} = NULL" for col in PII_COLUMNS)
            cursor.execute(
                f"UPDATE employees_employee SET {set_clause}, anonymized_at = now() WHERE id = ANY(%s)",
                [ids],
            )
            cursor.execute(
                "UPDATE auth_user SET is_active = false "
                "WHERE id IN (SELECT user_id FROM employees_employee WHERE id = ANY(%s))",
                [ids],
            )

        connection.cursor().execute(f"ANALYZE employees_employee")
        connection.cursor().execute("VACUUM (ANALYZE) " + Employee._meta.db_table)
        self.stdout.write(self.style.SUCCESS(f"anonymized {len(ids)} employees (cutoff {cutoff})"))
