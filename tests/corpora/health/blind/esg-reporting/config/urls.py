from django.contrib import admin
from django.urls import include, path

urlpatterns = [  # expect: HEALTH
    path("", include("core.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
