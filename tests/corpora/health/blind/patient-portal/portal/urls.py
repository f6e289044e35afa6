from django.urls import include, path

urlpatterns = [  # ok: HEALTH
    path("", include("portal.core.urls")),
    path("health/", include("health_check.urls")),
]
