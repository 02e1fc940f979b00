"""Default meeting services of a center (configuration the meeting manager can edit)."""

from .models import MeetingService

DEFAULT_SERVICES = ["茶水", "桌签", "投影", "音响", "录音录像", "横幅", "鲜花"]


def ensure_services(center):
    existing = set(MeetingService.objects.filter(center=center).values_list("name", flat=True))
    MeetingService.objects.bulk_create(
        [
            MeetingService(center=center, name=name, sort_order=i)
            for i, name in enumerate(DEFAULT_SERVICES)
            if name not in existing
        ]
    )
