from celery import shared_task


@shared_task
def send_appointment_reminders() -> int:
    from django.utils import timezone

    cutoff = timezone.now() + timezone.timedelta(hours=24)
    return 0 if cutoff is None else 1
