from django.urls import path, re_path

from . import views

urlpatterns = [  # ok: HEALTH
    path("", views.dashboard, name="dashboard"),
    path("status-page/", views.status_page, name="status-page"),
    re_path(r"^api/status-codes/$", views.status_codes, name="status-codes"),
]
