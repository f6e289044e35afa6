"""Hand-written SQL for the reports the ORM makes painful.

Everything here runs against the default (Postgres) database.
"""
import logging

from django.db import connection, connections
from django.db.models import Count, F, Q
from django.db.models.expressions import RawSQL

from .models import Department, Employee, LeaveRequest

logger = logging.getLogger(__name__)

EMPLOYEE_TABLE = "employees_employee"
HEADCOUNT_SQL = """
    SELECT d.name, count(e.id)
    FROM employees_department d
    LEFT JOIN employees_employee e ON e.department_id = d.id AND e.terminated_on IS NULL
    GROUP BY d.name
    ORDER BY d.name
"""
REPORT_COLUMNS = {"hired_on", "salary_band", "last_name", "department_id"}


def headcount_by_department():
    with connection.cursor() as cursor:
        cursor.execute(HEADCOUNT_SQL)  # ok: SQLI
        return cursor.fetchall()


def employees_in_office(office_code):
    return Employee.objects.raw(  # ok: SQLI
        "SELECT * FROM employees_employee WHERE office_code = %s AND terminated_on IS NULL",
        [office_code],
    )


def employees_by_manager(manager_email):
    return Employee.objects.raw(  # expect: SQLI
        f"""
        SELECT e.* FROM {EMPLOYEE_TABLE} e
        JOIN {EMPLOYEE_TABLE} m ON m.id = e.manager_id
        WHERE m.work_email = '{manager_email}'
        """
    )


def search_employees(term):
    return Employee.objects.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term))  # ok: SQLI


def by_full_name(first, last):
    with connection.cursor() as cursor:
        cursor.execute(  # ok: SQLI
            "SELECT id FROM employees_employee WHERE first_name || ' ' || last_name = %s",
            (f"{first} {last}",),
        )
        return [r[0] for r in cursor.fetchall()]


def long_tenure(min_years):
    return Employee.objects.extra(where=[f"hired_on < now() - interval '{min_years} years'"])  # expect: SQLI


def in_salary_band(band):
    return Employee.objects.extra(where=["salary_band = %s"], params=[band])  # ok: SQLI


def birthdays_in_month(month):
    return Employee.objects.raw(  # expect: SQLI
        "SELECT * FROM employees_employee WHERE extract(month FROM date_of_birth) = %s ORDER BY extract(day FROM date_of_birth)"
        % month
    )


def active_in_office(office_code):
    qs = Employee.objects.filter(terminated_on__isnull=True)
    return qs.extra(where=["office_code = '%s'" % office_code])  # expect: SQLI


def with_headcount():
    return Department.objects.extra(  # ok: SQLI
        select={"headcount": "SELECT count(*) FROM employees_employee e WHERE e.department_id = employees_department.id"}
    )


def leave_balance_annotated(year):
    return Employee.objects.annotate(
        days_taken=RawSQL(  # ok: SQLI
            "SELECT coalesce(sum(days), 0) FROM employees_leaverequest lr "
            "WHERE lr.employee_id = employees_employee.id AND extract(year FROM lr.start_date) = %s",
            (year,),
        )
    )


def ranked_by(column, department_id):
    if column not in REPORT_COLUMNS:
        raise ValueError(column)
    return Employee.objects.filter(department_id=department_id).annotate(
        rank=RawSQL(f"rank() OVER (ORDER BY {column} DESC)", ()),  # expect: SQLI
    )


def department_costs(currency):
    sql = (
        "SELECT d.name, sum(e.salary) * fx.rate "
        "FROM employees_employee e JOIN employees_department d ON d.id = e.department_id "
        "JOIN finance_fxrate fx ON fx.currency = '" + currency + "' "
        "GROUP BY d.name, fx.rate"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)  # expect: SQLI
        return cursor.fetchall()


def leave_overlaps(department_id, start, end):
    with connection.cursor() as cursor:
        cursor.execute(  # ok: SQLI
            """
            SELECT a.employee_id, b.employee_id
            FROM employees_leaverequest a
            JOIN employees_leaverequest b ON a.id < b.id
              AND daterange(a.start_date, a.end_date, '[]') && daterange(b.start_date, b.end_date, '[]')
            JOIN employees_employee ea ON ea.id = a.employee_id
            WHERE ea.department_id = %(dept)s AND a.start_date <= %(end)s AND a.end_date >= %(start)s
            """,
            {"dept": department_id, "start": start, "end": end},
        )
        return cursor.fetchall()


def pending_leave_counts():
    # Plain ORM aggregation, kept here so the dashboard has one import.
    return (
        LeaveRequest.objects.filter(status="pending")
        .values("employee__department__name")
        .annotate(n=Count("id"))
    )


def reporting_replica_count(table):
    cursor = connections["replica"].cursor()
    cursor.execute(f"SELECT count(*) FROM {table}")  # expect: SQLI
    return cursor.fetchone()[0]


def table_sizes():
    tables = [Employee._meta.db_table, Department._meta.db_table, LeaveRequest._meta.db_table]
    sizes = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])  # ok: SQLI
            sizes[table] = cursor.fetchone()[0]
    logger.info("table sizes: %s", sizes)
    return sizes


def salary_history(employee_id):
    query = f"SELECT changed_on, old_salary, new_salary FROM {Employee._meta.db_table}_salary_history WHERE employee_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(query, [employee_id])  # expect: SQLI
        return cursor.fetchall()
