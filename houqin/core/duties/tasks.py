"""Periodic jobs (scheduled by Celery beat; also management commands for cron)."""

from celery import shared_task


@shared_task(name="duties.generate_tasks")
def generate_tasks(days_ahead=None):
    from .services import DEFAULT_DAYS_AHEAD, duty_tasks_generate

    return duty_tasks_generate(days_ahead=days_ahead or DEFAULT_DAYS_AHEAD)


@shared_task(name="duties.send_reminders")
def send_reminders():
    from .reminders import duty_reminders_send

    return duty_reminders_send()
