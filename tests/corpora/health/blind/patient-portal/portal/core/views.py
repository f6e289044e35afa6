from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render


def ping(request):
    return HttpResponse("pong", content_type="text/plain")


@login_required
def home(request):
    return render(request, "core/home.html")


@login_required
def appointments(request):
    return render(request, "core/appointments.html", {"appointments": []})


@login_required
def health_summary(request, patient_id: int):
    """The patient's own health summary (allergies, medication, vaccinations)."""
    if request.user.patient_id != patient_id:
        return JsonResponse({"error": "forbidden"}, status=403)
    return render(request, "core/summary.html", {"patient_id": patient_id})
