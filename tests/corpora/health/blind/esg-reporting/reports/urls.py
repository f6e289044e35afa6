from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [  # ok: HEALTH
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
]
