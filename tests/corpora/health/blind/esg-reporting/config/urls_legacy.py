# Leftover from the 2022 split of the old "esgportal" project. Nothing points
# ROOT_URLCONF (or request.urlconf) here any more; delete after the audit.
from django.urls import path

from core import views

urlpatterns = [  # ok: HEALTH
    path("healthz/", views.legacy_healthz),
    path("dashboard/", views.dashboard),
]
