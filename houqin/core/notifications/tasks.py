"""Background sending of deliveries. Filled in by the notifications channel code."""

from celery import shared_task


@shared_task(name="notifications.deliver")
def deliver(delivery_id):
    from .delivery import send_delivery

    send_delivery(delivery_id)


@shared_task(name="notifications.retry_deliveries")
def retry_deliveries():
    from .delivery import retry_due

    return retry_due()
