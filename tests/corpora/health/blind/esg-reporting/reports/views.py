from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from .models import Report
from .tasks import render_pdf


@login_required
def report_list(request):
    return render(request, "reports/list.html", {"reports": Report.objects.order_by("-year")})


@login_required
def report_detail(request, pk):
    return render(request, "reports/detail.html", {"report": get_object_or_404(Report, pk=pk)})


@login_required
def report_status(request, pk):
    report = get_object_or_404(Report, pk=pk)
    return JsonResponse({"id": report.pk, "status": report.status})


@login_required
def report_pdf(request, pk):
    render_pdf.delay(pk)
    return JsonResponse({"queued": True}, status=202)
