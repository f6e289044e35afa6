import json

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from .models import Order
from .tasks import send_confirmation


@require_POST
def create_order(request):
    payload = json.loads(request.body)
    order = Order.objects.create(email=payload["email"], total_cents=payload["total_cents"])
    send_confirmation.delay(order.pk)
    return JsonResponse({"id": order.pk}, status=201)


@require_GET
def order_status(request, pk):
    try:
        order = Order.objects.get(pk=pk)
    except Order.DoesNotExist:
        raise Http404
    return JsonResponse({"id": order.pk, "status": order.status})
