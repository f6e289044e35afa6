from django.urls import path, re_path

from . import views

urlpatterns = [  # ok: HEALTH
    path("", views.home, name="home"),
    path("appointments/", views.appointments, name="appointments"),
    path("health-summary/<int:patient_id>/", views.health_summary, name="health-summary"),
    # Cheap liveness check for the kubelet; served at /ping and /ping/
    re_path(r"^ping/?$", views.ping, name="ping"),
]
