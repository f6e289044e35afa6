from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [  # ok: HEALTH
    path("", views.ProductList.as_view(), name="product-list"),
    path("<slug:slug>/", views.ProductDetail.as_view(), name="product-detail"),
    # Index freshness for the search team; mounted at /api/catalog/status/
    path("status/", views.catalog_status, name="status"),
]
