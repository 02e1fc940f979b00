"""Activity records (学习, 主题教育, 志愿服务…): categories per center, activities with the
people who took part and photos."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.uploads import validate_image
from houqin.org.models import Person

from ..models import Activity, ActivityCategory, ActivityPhoto
from .common import require_manager, text

DEFAULT_CATEGORIES = ("学习", "主题教育", "志愿服务", "参观教育基地", "节日走访", "讲座", "其他")
MAX_OTHERS = 100_000


@transaction.atomic
def categories_ensure(*, center) -> int:
    """Give a center that has no categories yet the default set; returns how many were made."""
    if ActivityCategory.objects.filter(center=center).exists():
        return 0
    ActivityCategory.objects.bulk_create(
        [
            ActivityCategory(center=center, name=name, order=(i + 1) * 10)
            for i, name in enumerate(DEFAULT_CATEGORIES)
        ],
        ignore_conflicts=True,
    )
    return len(DEFAULT_CATEGORIES)


@transaction.atomic
def category_save(
    *, actor, center, name, order=0, is_active=True, category=None
) -> ActivityCategory:
    require_manager(actor, center.pk)
    if category is not None and category.center_id != center.pk:
        raise ValidationError(_("类别不属于本中心。"))
    name = text(name, "name", _("类别名称"), 40, required=True)
    clash = ActivityCategory.objects.filter(center=center, name=name)
    if category is not None:
        clash = clash.exclude(pk=category.pk)
    if clash.exists():
        raise ValidationError({"name": _("已有名为“%(n)s”的类别。") % {"n": name}})
    if order is None or order < 0 or order > 32767:
        raise ValidationError({"order": _("排序应在 0 至 32767 之间。")})
    category = category or ActivityCategory(center=center)
    category.name = name
    category.order = order
    category.is_active = bool(is_active)
    category.save()
    return category


@transaction.atomic
def category_set_active(*, actor, category, is_active) -> ActivityCategory:
    require_manager(actor, category.center_id)
    category.is_active = bool(is_active)
    category.save(update_fields=["is_active", "updated_at"])
    return category


@transaction.atomic
def activity_save(
    *,
    actor,
    center,
    category,
    date,
    title,
    place="",
    organizer="",
    participants=(),
    other_participants=0,
    summary="",
    activity=None,
) -> Activity:
    """Create or update an activity. `participants` are people of the center; the total is the
    people picked plus `other_participants` (those not picked by name)."""
    require_manager(actor, center.pk)
    if category is None or category.center_id != center.pk:
        raise ValidationError({"category": _("请选择活动类别。")})
    keep_inactive = activity is not None and activity.category_id == category.pk
    if not category.is_active and not keep_inactive:
        raise ValidationError({"category": _("类别“%(n)s”已停用。") % {"n": category.name}})
    if date is None:
        raise ValidationError({"date": _("请填写日期。")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("活动日期不能晚于今天。")})
    people = list(participants or ())
    ids = {p.pk for p in people}
    if ids:
        found = Person.objects.filter(pk__in=ids, center_id=center.pk).count()
        if found != len(ids):
            raise ValidationError({"participants": _("参加人员须为本中心人员。")})
    others = other_participants or 0
    if others < 0 or others > MAX_OTHERS:
        raise ValidationError(
            {"other_participants": _("其他参加人数应在 0 至 %(n)s 之间。") % {"n": MAX_OTHERS}}
        )
    if not ids and not others:
        raise ValidationError({"participants": _("请选择参加人员或填写其他参加人数。")})
    activity = activity or Activity(center=center, recorded_by=actor)
    activity.category = category
    activity.date = date
    activity.title = text(title, "title", _("活动主题"), 100, required=True)
    activity.place = text(place, "place", _("地点"), 100)
    activity.organizer = text(organizer, "organizer", _("组织者"), 100)
    activity.summary = text(summary, "summary", _("活动内容"), 4000)
    activity.other_participants = others
    activity.participant_total = len(ids) + others
    activity.save()
    activity.participants.set(ids)
    return activity


@transaction.atomic
def photo_add(*, actor, activity, image, caption="") -> ActivityPhoto:
    require_manager(actor, activity.center_id)
    try:
        validate_image(image)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None
    return ActivityPhoto.objects.create(
        activity=activity, image=image, caption=text(caption, "caption", _("说明"), 100)
    )


@transaction.atomic
def photo_delete(*, actor, photo):
    require_manager(actor, photo.activity.center_id)
    photo.image.delete(save=False)
    photo.delete()
