"""Celery app. Without CELERY_BROKER_URL every task runs eagerly in-process (zero set-up);
with it, real workers and beat run the periodic jobs:

    celery -A config worker -l info
    celery -A config beat -l info

Each periodic job is also a management command (see CELERY_BEAT_SCHEDULE in settings), so a
cron line can drive it on a machine without a broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("houqin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
