from celery import shared_task
from django.core.mail import send_mail


@shared_task(bind=True, max_retries=3)
def send_confirmation(self, order_id: int) -> None:
    from .models import Order

    order = Order.objects.get(pk=order_id)
    send_mail("Your order", f"Order #{order.pk} received.", None, [order.email])
