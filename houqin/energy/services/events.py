"""Publicity events (节能宣传周, 全国低碳日…) with their activities and photos."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from houqin.core.uploads import validate_image

from ..models import EventActivity, EventPhoto, PublicityEvent
from .common import require_manager, text


@transaction.atomic
def event_save(
    *,
    actor,
    center,
    kind,
    title,
    start_date,
    end_date,
    place="",
    organizer="",
    participants=0,
    summary="",
    event=None,
) -> PublicityEvent:
    require_manager(actor, center.pk)
    if kind not in PublicityEvent.Kind.values:
        raise ValidationError({"kind": _("请选择活动类型。")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
    if event is not None and event.pk:
        outside = event.activities.exclude(date__range=(start_date, end_date)).count()
        if outside:
            raise ValidationError(
                {
                    "start_date": _("已有 %(n)s 项活动不在新的活动期间内，请先调整活动日期。")
                    % {"n": outside}
                }
            )
    event = event or PublicityEvent(center=center)
    event.kind = kind
    event.title = text(title, "title", _("活动名称"), 100, required=True)
    event.start_date, event.end_date = start_date, end_date
    event.place = text(place, "place", _("地点"), 100)
    event.organizer = text(organizer, "organizer", _("组织单位"), 100)
    event.participants = participants or 0
    event.summary = text(summary, "summary", _("活动总结"), 4000)
    event.save()
    return event


@transaction.atomic
def activity_add(*, actor, event, date, title, description="", participants=0) -> EventActivity:
    require_manager(actor, event.center_id)
    if not event.start_date <= date <= event.end_date:
        raise ValidationError(
            {
                "date": _("日期应在活动期间（%(a)s 至 %(b)s）。")
                % {"a": event.start_date, "b": event.end_date}
            }
        )
    return EventActivity.objects.create(
        event=event,
        date=date,
        title=text(title, "title", _("活动内容"), 100, required=True),
        description=text(description, "description", _("说明"), 2000),
        participants=participants or 0,
    )


@transaction.atomic
def photo_add(*, actor, event, image, caption="") -> EventPhoto:
    require_manager(actor, event.center_id)
    try:
        validate_image(image)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None
    return EventPhoto.objects.create(
        event=event,
        image=image,
        caption=text(caption, "caption", _("说明"), 100),
        uploaded_by=actor,
    )


@transaction.atomic
def photo_delete(*, actor, photo):
    require_manager(actor, photo.event.center_id)
    photo.image.delete(save=False)
    photo.delete()
