import logging

import requests
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from storefront.catalog.models import Product

log = logging.getLogger(__name__)


def _crm_session():
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {settings.CRM_TOKEN}"
    return s


def profile(request, username):
    user = User.objects.get(username=username)  # ok: TMO001
    crm = _crm_session().get(f"{settings.CRM_URL}/contacts", params={"email": user.email})  # expect: TMO001
    contact = crm.json()[0] if crm.ok and crm.json() else {}
    return JsonResponse({"username": user.username, "tier": contact.get("tier", "basic")})  # ok: TMO001


def weather(request):
    city = request.GET.get("city")  # ok: TMO001
    if not city:
        return HttpResponseBadRequest("city is required")
    key = f"weather:{city.lower()}"
    data = cache.get(key)  # ok: TMO001
    if data is None:
        data = requests.get(settings.WEATHER_URL, params={"q": city}, timeout=settings.HTTP_TIMEOUT).json()  # ok: TMO001
        cache.set(key, data, 600)
    return JsonResponse(data)


@require_POST
def verify_captcha(request):
    token = request.POST.get("g-recaptcha-response")  # ok: TMO001
    result = requests.post(  # expect: TMO001
        "https://www.google.com/recaptcha/api/siteverify",
        data={"secret": settings.RECAPTCHA_SECRET, "response": token},
    ).json()
    return JsonResponse({"success": bool(result.get("success"))})


class ExchangeRatesView(View):
    session = requests.Session()

    def get(self, request):
        rates = self.session.get(settings.FX_URL).json()  # expect: TMO001
        return JsonResponse(rates)


class ProductListView(ListView):
    model = Product
    paginate_by = 48

    def get(self, request, *args, **kwargs):
        request.session["last_list"] = request.path
        return super().get(request, *args, **kwargs)  # ok: TMO001

    def get_queryset(self):
        qs = super().get_queryset().filter(active=True)
        category = self.request.GET.get("category")
        return qs.filter(category__slug=category) if category else qs


def product_reviews(request, pk):
    product = get_object_or_404(Product, pk=pk)
    reviews = requests.get(  # expect: TMO001
        f"{settings.REVIEWS_URL}/products/{product.sku}/reviews",
        params={"page": request.GET.get("page", 1)},
    )
    return JsonResponse(reviews.json(), safe=False)


def stock_badge(request, pk):
    product = Product.objects.get(pk=pk)  # ok: TMO001
    try:
        stock = requests.get(  # ok: TMO001
            f"{settings.INVENTORY_URL}/items/{product.sku}",
            timeout=(settings.HTTP_CONNECT_TIMEOUT, settings.HTTP_TIMEOUT),
        ).json()["stock"]
    except requests.RequestException:
        log.warning("inventory unavailable for %s", product.sku)
        stock = None
    return JsonResponse({"sku": product.sku, "stock": stock})


def last_viewed(request):
    sku = request.session.get("last_viewed_sku")  # ok: TMO001
    return JsonResponse({"sku": sku})
