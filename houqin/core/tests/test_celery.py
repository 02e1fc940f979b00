"""Background jobs: eager without a broker, real workers with one."""

from config.celery import app


def test_no_broker_means_eager(settings):
    assert settings.CELERY_BROKER_URL == ""
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert app.main == "houqin"


def test_periodic_jobs_are_scheduled_and_registered(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "duties.generate_tasks",
        "duties.send_reminders",
        "notifications.retry_deliveries",
        "meetings.release_unchecked",
        "canteen.settle_meals",
        "maintenance.overdue_reminders",
    } <= tasks
    app.loader.import_default_modules()
    assert tasks <= set(app.tasks), tasks - set(app.tasks)
