import json
import logging

from django.contrib.auth.decorators import login_required, permission_required
from django.db import connection, transaction
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from core.privacy import mask_email, redact
from .forms import EmployeeForm
from .models import Employee, EmergencyContact
from . import queries

logger = logging.getLogger("hr.employees")
audit = logging.getLogger("hr.audit")


@login_required
def directory(request):
    q = request.GET.get("q", "").strip()
    employees = queries.search_employees(q) if q else Employee.objects.filter(terminated_on__isnull=True)
    logger.debug("directory view by user %s, %d results", request.user.pk, len(employees))
    return render(request, "employees/directory.html", {"employees": employees, "q": q})


@login_required
@permission_required("employees.add_employee")
@require_http_methods(["GET", "POST"])
def create_employee(request):
    if request.method == "POST":
        form = EmployeeForm(request.POST)
        if not form.is_valid():
            logger.info("invalid employee form from %s: %s", request.user, request.POST)
            return render(request, "employees/form.html", {"form": form}, status=400)
        employee = form.save()
        audit.info("employee %s created by %s", employee.pk, request.user.pk)
        audit.info("employee record: %s", vars(employee))
        return JsonResponse({"id": employee.pk}, status=201)
    return render(request, "employees/form.html", {"form": EmployeeForm()})


@login_required
@require_POST
def update_emergency_contact(request, employee_id):
    employee = get_object_or_404(Employee, pk=employee_id)
    try:
        data = json.loads(request.body)
    except ValueError:
        logger.warning("bad JSON body for emergency contact: %r", request.body)
        return HttpResponseBadRequest("invalid json")
    contact, _ = EmergencyContact.objects.update_or_create(
        employee=employee,
        defaults={"name": data["name"], "phone": data["phone"], "relationship": data.get("relationship", "")},
    )
    logger.info("emergency contact updated for employee %s: phone %s", employee.pk, data["phone"])
    logger.info("emergency contact for %s has_phone=%s", employee.pk, bool(contact.phone))
    return JsonResponse({"ok": True})


@login_required
def profile(request, employee_id):
    employee = get_object_or_404(Employee, pk=employee_id)
    if request.user.pk != employee.user_id and not request.user.has_perm("employees.view_employee"):
        logger.warning(
            "user %s tried to view profile of %s <%s>",
            request.user.pk,
            employee.pk,
            employee.work_email,
        )
        return JsonResponse({"detail": "forbidden"}, status=403)
    logger.info("profile %s viewed by %s (email %s)", employee.pk, request.user.pk, mask_email(employee.work_email))
    return render(request, "employees/profile.html", {"employee": employee})


@login_required
@permission_required("employees.change_employee")
@require_POST
def set_home_address(request, employee_id):
    employee = get_object_or_404(Employee, pk=employee_id)
    address = request.POST.get("home_address", "")
    if not address:
        return HttpResponseBadRequest("missing address")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(  # ok: SQLI
                "UPDATE employees_employee SET home_address = %s, address_changed_at = now() WHERE id = %s",
                [address, employee.pk],
            )
    audit.info("home address of %s changed to %s", employee.pk, address)
    audit.info("home address of %s changed (%s)", employee.pk, redact(address))
    return JsonResponse({"ok": True})


@login_required
def org_chart(request):
    root = request.GET.get("root")
    depth = request.GET.get("depth", "5")
    with connection.cursor() as cursor:
        cursor.execute(  # expect: SQLI
            """
            WITH RECURSIVE chart AS (
                SELECT id, manager_id, first_name, last_name, 0 AS depth
                FROM employees_employee WHERE id = %s
                UNION ALL
                SELECT e.id, e.manager_id, e.first_name, e.last_name, c.depth + 1
                FROM employees_employee e JOIN chart c ON e.manager_id = c.id
                WHERE c.depth < %s
            )
            SELECT * FROM chart
            """
            % (root, depth)
        )
        rows = cursor.fetchall()
    return JsonResponse({"nodes": rows})


@login_required
@permission_required("employees.view_employee")
def export_department(request, department_id):
    columns = request.GET.getlist("col") or ["first_name", "last_name", "work_email"]
    with connection.cursor() as cursor:
        cursor.execute(  # expect: SQLI
            "SELECT " + ", ".join(columns) + " FROM employees_employee WHERE department_id = %s",
            [department_id],
        )
        rows = cursor.fetchall()
    logger.info(
        "department %s exported by %s: %d rows, columns=%s",
        department_id,
        request.user.pk,
        len(rows),
        columns,
    )
    return JsonResponse({"columns": columns, "rows": rows})


@login_required
def whoami(request):
    print("whoami:", request.user, request.META.get("HTTP_AUTHORIZATION"))
    logger.debug("whoami for user %s via %s", request.user.pk, request.META.get("HTTP_USER_AGENT"))
    return JsonResponse({"id": request.user.pk, "email": request.user.email})
