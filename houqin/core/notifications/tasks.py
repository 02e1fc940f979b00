"""Background sending of deliveries (Celery; eager in-process without a broker).

Neither task raises: failures are recorded on the Delivery rows and retried.
"""

from celery import shared_task


@shared_task(name="notifications.deliver", ignore_result=True)
def deliver(delivery_id):
    from .delivery import send_delivery

    send_delivery(delivery_id)


@shared_task(name="notifications.retry_deliveries", ignore_result=True)
def retry_deliveries():
    from .delivery import retry_due

    return retry_due()
