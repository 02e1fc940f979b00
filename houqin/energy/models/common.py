import uuid
from pathlib import Path

from django.utils import timezone


def upload_to(prefix, filename):
    """<prefix>/YYYY/MM/<random>.<ext>: the user's file name never reaches the storage path."""
    ext = Path(filename).suffix.lower()[:8] or ".bin"
    now = timezone.localtime()
    return f"{prefix}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{ext}"


def evidence_path(instance, filename):
    return upload_to("energy/evidence", filename)


def event_photo_path(instance, filename):
    return upload_to("energy/events", filename)


def inspection_photo_path(instance, filename):
    return upload_to("energy/sorting", filename)
