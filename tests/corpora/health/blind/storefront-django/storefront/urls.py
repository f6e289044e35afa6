"""storefront URL configuration."""
from django.contrib import admin
from django.urls import include, path

urlpatterns = [  # expect: HEALTH
    path("admin/", admin.site.urls),
    path("api/catalog/", include("catalog.urls")),
    path("api/orders/", include("orders.urls")),
    # Temporarily disabled during the Django 4.2 upgrade (STORE-812):
    # path("ht/", include("health_check.urls")),
]
