from django.http import JsonResponse
from django.utils import timezone
from rest_framework import generics

from .models import Product
from .serializers import ProductSerializer


class ProductList(generics.ListAPIView):
    queryset = Product.objects.filter(active=True).order_by("name")
    serializer_class = ProductSerializer


class ProductDetail(generics.RetrieveAPIView):
    queryset = Product.objects.filter(active=True)
    serializer_class = ProductSerializer
    lookup_field = "slug"


def catalog_status(request):
    newest = Product.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    lag = (timezone.now() - newest).total_seconds() if newest else None
    return JsonResponse({"products": Product.objects.count(), "index_lag_seconds": lag})
