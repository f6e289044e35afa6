from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

DISCLOSURE_STATUS = {
    "D": "draft",
    "R": "in review",
    "A": "approved by the audit committee",
    "P": "published",
}


@login_required
def dashboard(request):
    return render(request, "core/dashboard.html")


@login_required
def status_page(request):
    """Per-entity status of this year's disclosures (a business page)."""
    return render(request, "core/status.html", {"codes": DISCLOSURE_STATUS})


def status_codes(request):
    return JsonResponse(DISCLOSURE_STATUS)


def legacy_healthz(request):
    return HttpResponse("ok")
