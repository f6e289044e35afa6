from django.urls import path, re_path

from . import views

urlpatterns = [  # ok: HEALTH
    path("", views.create_order, name="order-create"),
    re_path(r"^(?P<pk>\d+)/status/$", views.order_status, name="order-status"),
]
