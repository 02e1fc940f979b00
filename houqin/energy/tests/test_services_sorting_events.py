# ruff: noqa: F811  (fixtures imported from fixtures_outreach are used as parameters)
"""Services of garbage sorting and publicity events: their rules (a demonstration site needs
its recognition date, correct ≤ checked, no future dates, photos are images, at least one
weight, activities within the event…), nothing written on a refusal, only the center's
energy managers write, and sorting_figures' pooled correct-sorting rate on a small example."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from houqin.energy.models import (
    EventActivity,
    EventPhoto,
    GarbageCollection,
    Institution,
    PublicityEvent,
    SortingInspection,
    SortingSite,
)
from houqin.energy.services.events import activity_add, event_save, photo_add, photo_delete
from houqin.energy.services.sorting import (
    collection_record,
    inspection_record,
    site_save,
    sorting_figures,
)

from .fixtures_outreach import (  # noqa: F401  (fixtures)
    TODAY,
    clock,
    make_event,
    make_site,
    media,
    not_an_image,
    png,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "media")]

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def messages(exc_info):
    return exc_info.value.message_dict


# ------------------------------------------------------------------ sites


def test_demonstration_site_needs_its_recognition_date(center_a):
    with pytest.raises(ValidationError) as exc:
        make_site(center_a, "实验小学", SortingSite.Kind.SCHOOL, is_demonstration=True)
    assert messages(exc) == {"recognized_on": ["示范点请填写认定日期。"]}
    assert not SortingSite.objects.exists()
    site = make_site(
        center_a,
        "实验小学",
        SortingSite.Kind.SCHOOL,
        is_demonstration=True,
        demonstration_level="市级",
        recognized_on=dt.date(2026, 3, 20),
    )
    assert site.is_demonstration and site.demonstration_level == "市级"


def test_ordinary_site_drops_the_demonstration_details(center_a):
    site = make_site(center_a, demonstration_level="市级", recognized_on=dt.date(2026, 3, 20))
    assert not site.is_demonstration
    assert site.demonstration_level == "" and site.recognized_on is None


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"name": " "}, "name"),
        ({"kind": "zoo"}, "kind"),
        ({"bins": 0}, "bins"),
        (
            {
                "demonstration_level": "x" * 21,
                "is_demonstration": True,
                "recognized_on": dt.date(2026, 1, 1),
            },
            "demonstration_level",
        ),
    ],
)
def test_site_bad_input_is_refused(center_a, kw, field):
    data = {"name": "区行政中心", "kind": SortingSite.Kind.ORGAN, **kw}
    with pytest.raises(ValidationError) as exc:
        site_save(actor=None, center=center_a, **data)
    assert field in messages(exc)
    assert not SortingSite.objects.exists()


def test_site_names_are_unique_and_institution_from_the_center(center_a, center_b):
    make_site(center_a, "区行政中心")
    with pytest.raises(ValidationError) as exc:
        make_site(center_a, "区行政中心")
    assert messages(exc) == {"name": ["已有同名点位。"]}
    make_site(center_b, "区行政中心")  # another center may use the name
    foreign = Institution.objects.create(center=center_b, name="乙区行政中心")
    with pytest.raises(ValidationError) as exc:
        make_site(center_a, "乙区的楼", institution=foreign)
    assert messages(exc) == {"institution": ["请选择本中心的公共机构。"]}


def test_only_the_centers_energy_manager_writes(center_a, energy_a, energy_b, staff_x):
    site = make_site(center_a)
    event = make_event(center_a)
    for actor in (energy_b, staff_x):
        with pytest.raises(PermissionDenied):
            site_save(actor=actor, center=center_a, name="新点位", kind="organ")
        with pytest.raises(PermissionDenied):
            inspection_record(actor=actor, site=site, date=TODAY, bins_checked=1, bins_correct=1)
        with pytest.raises(PermissionDenied):
            collection_record(actor=actor, site=site, date=TODAY, weights={"other_kg": 1})
        with pytest.raises(PermissionDenied):
            event_save(
                actor=actor,
                center=center_a,
                kind="week",
                title="x",
                start_date=TODAY,
                end_date=TODAY,
            )
        with pytest.raises(PermissionDenied):
            activity_add(actor=actor, event=event, date=event.start_date, title="x")
        with pytest.raises(PermissionDenied):
            photo_add(actor=actor, event=event, image=png())
    assert SortingSite.objects.count() == 1 and not SortingInspection.objects.exists()
    assert not GarbageCollection.objects.exists() and PublicityEvent.objects.count() == 1
    assert not EventActivity.objects.exists() and not EventPhoto.objects.exists()
    inspection_record(actor=energy_a, site=site, date=TODAY, bins_checked=1, bins_correct=1)


# ------------------------------------------------------------------ inspections


@pytest.mark.parametrize(
    "checked, correct, date, field, message",
    [
        (4, 5, TODAY, "bins_correct", "分类正确桶数不能多于检查桶数。"),
        (0, 0, TODAY, "bins_checked", "检查桶数必须大于 0。"),
        (4, -1, TODAY, "bins_correct", "分类正确桶数不能为负数。"),
        (4, 3, TODAY + dt.timedelta(days=1), "date", "检查日期不能晚于今天。"),
    ],
)
def test_inspection_rules(center_a, energy_a, checked, correct, date, field, message):
    site = make_site(center_a)
    with pytest.raises(ValidationError) as exc:
        inspection_record(
            actor=energy_a, site=site, date=date, bins_checked=checked, bins_correct=correct
        )
    assert messages(exc) == {field: [message]}
    assert not SortingInspection.objects.exists()


def test_inspection_rate_and_photo(center_a, energy_a):
    site = make_site(center_a)
    inspection = inspection_record(
        actor=energy_a, site=site, date=TODAY, bins_checked=3, bins_correct=2, photo=png()
    )
    assert inspection.rate == 66.7 and inspection.inspector == energy_a
    assert inspection.photo.name.startswith("energy/sorting/")
    with pytest.raises(ValidationError) as exc:
        inspection_record(
            actor=energy_a,
            site=site,
            date=TODAY,
            bins_checked=3,
            bins_correct=2,
            photo=not_an_image(),
        )
    assert "不是有效的图片文件" in messages(exc)["photo"][0]
    assert SortingInspection.objects.count() == 1


# ------------------------------------------------------------------ collections


def test_collection_needs_a_weight_and_replaces_the_day(center_a, energy_a):
    site = make_site(center_a)
    with pytest.raises(ValidationError) as exc:
        collection_record(actor=energy_a, site=site, date=TODAY, weights={"other_kg": ""})
    assert exc.value.messages == ["请至少填写一类垃圾的重量。"]
    with pytest.raises(ValidationError) as exc:
        collection_record(actor=energy_a, site=site, date=TODAY, weights={"other_kg": "-2"})
    assert "other_kg" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        collection_record(actor=energy_a, site=site, date=TODAY, weights={"other_kg": "1.234"})
    assert "other_kg" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        collection_record(
            actor=energy_a,
            site=site,
            date=TODAY + dt.timedelta(days=1),
            weights={"other_kg": "1"},
        )
    assert messages(exc) == {"date": ["日期不能晚于今天。"]}
    assert not GarbageCollection.objects.exists()

    collection_record(
        actor=energy_a,
        site=site,
        date=TODAY,
        weights={"recyclable_kg": "10.5", "kitchen_kg": Decimal("20")},
    )
    collection_record(actor=energy_a, site=site, date=TODAY, weights={"other_kg": "3"})
    collection = GarbageCollection.objects.get()
    assert collection.other_kg == Decimal("3") and collection.recyclable_kg is None


# ------------------------------------------------------------------ figures


def test_sorting_figures_pool_the_rate_over_bins(center_a, center_b, energy_a, energy_b):
    school = make_site(
        center_a,
        "实验小学",
        SortingSite.Kind.SCHOOL,
        is_demonstration=True,
        recognized_on=dt.date(2026, 3, 1),
    )
    office = make_site(center_a, "区行政中心")
    make_site(center_a, "停用点位", is_active=False)
    other = make_site(center_b, "乙区点位")

    def inspect(site, date, checked, correct, actor=energy_a):
        inspection_record(
            actor=actor, site=site, date=date, bins_checked=checked, bins_correct=correct
        )

    # 9 of 10 (90 %) and 15 of 30 (50 %): pooled 24 / 40 = 60 %, not the mean 70 %.
    inspect(school, dt.date(2026, 4, 1), 10, 9)
    inspect(office, dt.date(2026, 5, 1), 30, 15)
    inspect(school, dt.date(2025, 12, 31), 10, 0)  # last year: outside the period
    inspect(other, dt.date(2026, 4, 1), 10, 10, actor=energy_b)  # another center
    collection_record(
        actor=energy_a,
        site=school,
        date=dt.date(2026, 4, 1),
        weights={"recyclable_kg": "10.5", "kitchen_kg": "20"},
    )
    collection_record(
        actor=energy_a, site=office, date=dt.date(2026, 4, 2), weights={"recyclable_kg": "4.5"}
    )
    collection_record(
        actor=energy_b, site=other, date=dt.date(2026, 4, 2), weights={"other_kg": "99"}
    )

    figures = sorting_figures(center_a.pk, *YEAR)
    assert figures.sites == 2 and figures.demonstration_sites == 1
    assert figures.inspections == 2 and figures.average_rate == 60.0
    assert figures.weights == {
        "recyclable_kg": Decimal("15"),
        "hazardous_kg": Decimal("0"),
        "kitchen_kg": Decimal("20"),
        "other_kg": Decimal("0"),
    }
    empty = sorting_figures(center_a.pk, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert empty.inspections == 0 and empty.average_rate is None


# ------------------------------------------------------------------ events


def test_event_dates_and_kind(center_a, energy_a):
    data = {"actor": energy_a, "center": center_a, "title": "全国低碳日"}
    with pytest.raises(ValidationError) as exc:
        event_save(
            **data, kind="low_carbon", start_date=TODAY, end_date=TODAY - dt.timedelta(days=1)
        )
    assert messages(exc) == {"end_date": ["结束日期不能早于开始日期。"]}
    with pytest.raises(ValidationError) as exc:
        event_save(**data, kind="party", start_date=TODAY, end_date=TODAY)
    assert messages(exc) == {"kind": ["请选择活动类型。"]}
    with pytest.raises(ValidationError) as exc:
        event_save(**{**data, "title": ""}, kind="week", start_date=TODAY, end_date=TODAY)
    assert messages(exc) == {"title": ["请填写活动名称。"]}
    assert not PublicityEvent.objects.exists()
    event = event_save(**data, kind="low_carbon", start_date=TODAY, end_date=TODAY)
    assert event.participants == 0 and event.center == center_a


def test_activities_must_fall_within_the_event(center_a, energy_a):
    event = make_event(center_a)  # 15–21 June 2026
    for day in (dt.date(2026, 6, 14), dt.date(2026, 6, 22)):
        with pytest.raises(ValidationError) as exc:
            activity_add(actor=energy_a, event=event, date=day, title="节能知识讲座")
        assert messages(exc) == {"date": ["日期应在活动期间（2026-06-15 至 2026-06-21）。"]}
    assert not EventActivity.objects.exists()
    for day in (dt.date(2026, 6, 15), dt.date(2026, 6, 21)):
        activity_add(actor=energy_a, event=event, date=day, title="节能知识讲座", participants=40)
    assert list(event.activities.values_list("participants", flat=True)) == [40, 40]


def test_photos_are_images_and_deleting_removes_the_file(center_a, energy_a, energy_b, media):
    event = make_event(center_a)
    with pytest.raises(ValidationError) as exc:
        photo_add(actor=energy_a, event=event, image=not_an_image())
    assert "不是有效的图片文件" in messages(exc)["image"][0]
    assert not EventPhoto.objects.exists()
    photo = photo_add(actor=energy_a, event=event, image=png(), caption="启动仪式")
    path = media / photo.image.name
    assert path.exists() and photo.uploaded_by == energy_a
    with pytest.raises(PermissionDenied):
        photo_delete(actor=energy_b, photo=photo)
    assert path.exists()
    photo_delete(actor=energy_a, photo=photo)
    assert not path.exists() and not EventPhoto.objects.exists()
