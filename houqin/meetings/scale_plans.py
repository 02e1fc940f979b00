"""The meetings year's rooms and booking plan (part of houqin/meetings/scale.py).

`_rooms` writes the rooms; `_plan_series` and `_plan_singles` decide who books which room
when on the year's workdays, with `Planner` keeping a room's bookings from overlapping
(the PostgreSQL exclusion constraint). What became of each booking is decided in scale.py.
"""

import datetime as dt
from collections import defaultdict

from houqin.core.duties.recurrence import TZ
from houqin.core.scale import bulk_stamped

from .models import Booking, BookingSeries, Room

K = Room.Kind


# ------------------------------------------------------------------ rooms

BUILDINGS = [("A区", 8), ("B区", 6), ("档案馆", 3), ("党校", 4)]
AUDITORIUMS = [("一楼报告厅", "A区", 300), ("B区多功能厅", "B区", 200), ("党校报告厅", "党校", 400)]
EQUIPMENT = {K.AUDITORIUM: "舞台、LED 屏、音响、灯光、录音录像", K.MEDIUM: "投影、音响"}


def _rooms(ctx):
    rng, count = ctx.rng, max(5, ctx.scaled(50))  # even a small center has a few rooms
    auditoriums = max(1, round(count * 0.06))
    medium = max(1, round(count * 0.42))
    specs = []
    for i in range(auditoriums):
        name, building, capacity = AUDITORIUMS[i % len(AUDITORIUMS)]
        if i >= len(AUDITORIUMS):
            name = f"{name}（{i // len(AUDITORIUMS) + 1}）"
        specs.append((name, K.AUDITORIUM, building, "1", capacity))
    serial = defaultdict(int)
    while len(specs) < count:
        kind = K.MEDIUM if len(specs) < auditoriums + medium else K.SMALL
        building, floors = BUILDINGS[len(specs) % len(BUILDINGS)]
        floor = rng.randint(2, floors)
        serial[(building, floor)] += 1
        number = f"{floor}{serial[(building, floor)]:02d}"
        if kind == K.MEDIUM:
            name, capacity = f"{building}{number}会议室", rng.choice((30, 40, 40, 50, 60, 80))
        else:
            name, capacity = f"{building}{number}小会议室", rng.choice((8, 10, 12, 12, 16, 20))
        specs.append((name, kind, building, str(floor), capacity))
    created = ctx.first_day - dt.timedelta(days=60)
    rows = []
    for index, (name, kind, building, floor, capacity) in enumerate(specs):
        rows.append(
            Room(
                center=ctx.center,
                name=name,
                code=f"HY{index + 1:03d}",
                kind=kind,
                building=building,
                floor=floor,
                capacity=capacity,
                equipment=EQUIPMENT.get(kind, "电视屏"),
                requires_approval=kind == K.AUDITORIUM,
                # The archive's meeting rooms are for liaisons (as in the demo).
                bookable_by=Room.BookableBy.LIAISON
                if building == "档案馆" and kind == K.MEDIUM
                else Room.BookableBy.STAFF,
                auto_release_minutes=15 if kind == K.SMALL else None,
                created_at=dt.datetime.combine(created, dt.time(9), tzinfo=TZ),
            )
        )
    return bulk_stamped(ctx, Room, rows)


# ------------------------------------------------------------------ bookings

TOPICS = {
    K.SMALL: ["科室例会", "项目对接会", "工作碰头会", "业务洽谈", "专题研究会", "材料审核会"],
    K.MEDIUM: ["工作推进会", "业务培训会", "党组会", "党支部学习会", "工作部署会", "评审会"],
    K.AUDITORIUM: ["全体干部大会", "专题讲座", "业务培训", "表彰大会", "警示教育大会"],
}
MAJOR = [  # title, 重大会议类别
    ("区人大常委会会议", "区人大"),
    ("区政协常委会议", "区政协"),
    ("区委全会", "区委"),
    ("区政府常务会议", "区政府"),
    ("全区经济工作会议", "区委"),
    ("全区安全生产工作会议", "区政府"),
]
SERVICES_FOR = {  # as the demo
    Booking.Level.MAJOR: ["茶水", "桌签", "音响", "录音录像", "横幅", "鲜花"],
    Booking.Level.IMPORTANT: ["茶水", "桌签", "投影"],
    Booking.Level.ORDINARY: ["茶水"],
}
CANCEL_REASONS = ["会议时间调整", "领导另有安排", "会议取消", "改为视频会议", "改用其他会议室"]
REJECT_REASONS = ["该时段报告厅已安排重要活动", "参会人数超出容量，请改订报告厅", "请提前协调"]
# Busier in March (两会), June and the year's end; quieter at Spring Festival and in summer.
MONTH_WEIGHT = {1: 0.9, 2: 0.6, 3: 1.2, 4: 1.05, 5: 1.0, 6: 1.1, 7: 0.85, 8: 0.8, 9: 1.05}
MONTH_WEIGHT.update({10: 0.9, 11: 1.1, 12: 1.2})
STARTS = [(8, 30), (9, 0), (9, 0), (9, 30), (10, 0), (10, 30), (14, 0), (14, 30), (15, 0), (16, 0)]
KIND_SHARE = ((K.SMALL, 0.5), (K.MEDIUM, 0.46), (K.AUDITORIUM, 0.04))


def _pick(rng, weighted):
    roll, acc = rng.random(), 0.0
    for value, weight in weighted:
        acc += weight
        if roll < acc:
            return value
    return weighted[-1][0]


def _duration(rng, kind):
    if kind == K.AUDITORIUM:
        return rng.choice((120, 150, 180, 180, 240))
    if kind == K.MEDIUM:
        return rng.choice((60, 90, 90, 120, 120, 150, 180))
    return rng.choice((30, 60, 60, 60, 90, 120))


class Planner:
    """Free time per room and day (minutes since midnight): no two bookings overlap."""

    def __init__(self):
        self.busy = defaultdict(list)

    def take(self, room, day, start, end):
        spans = self.busy[(room.pk, day)]
        if any(s < end and start < e for s, e in spans):
            return False
        spans.append((start, end))
        return True


def _at(day, minutes):
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=TZ)


class Organisers:
    """Who books: staff of the agencies mostly; the meeting manager (会务股) and the center's
    leaders for the center's own meetings and the liaison-only rooms."""

    def __init__(self, ctx):
        self.people = ctx.people
        self.short = {a.pk: a.short_name or a.name for a in ctx.agencies}
        sections = ctx.center_sections
        self.center_side = [
            (ctx.accounts["meeting"].pk, sections["HWG"].pk, "会务股"),
            (ctx.accounts["leader"].pk, sections["BGS"].pk, "中心"),
            (ctx.accounts["admin"].pk, sections["BGS"].pk, "中心办公室"),
        ]
        self.manager_id = ctx.accounts["meeting"].pk

    def pick(self, rng, room):
        if room.bookable_by != Room.BookableBy.STAFF or rng.random() < 0.12:
            return rng.choice(self.center_side)
        person = rng.choice(self.people)
        return person.user_id, person.agency_id, self.short.get(person.agency_id, "")


def _plan_series(ctx, rooms, planner, organisers, workdays):
    """Weekly meetings (周例会, 党组会…) booked as series early in January."""
    rng, plans, series = ctx.rng, [], []
    candidates = [r for r in rooms if r.kind != K.AUDITORIUM]
    codes = ["MO", "TU", "WE", "TH", "FR"]
    for _i in range(ctx.scaled(20)):
        room = rng.choice(candidates)
        weekday = rng.randrange(5)
        start = rng.choice(((8, 30), (9, 0), (15, 0)))
        minutes = start[0] * 60 + start[1]
        length = rng.choice((60, 90))
        booker, agency, short = organisers.pick(rng, room)
        title = f"{short}{rng.choice(('周例会', '党组会', '工作调度会'))}"
        series.append(
            BookingSeries(
                center_id=ctx.center.pk,
                room=room,
                rrule=f"FREQ=WEEKLY;BYDAY={codes[weekday]}",
                title=title,
                booker_id=booker,
                created_at=_at(ctx.first_day, 9 * 60) - dt.timedelta(days=7),
            )
        )
        people = max(1, min(room.capacity, rng.randint(6, 25)))
        for day in workdays:
            if day.weekday() == weekday and planner.take(room, day, minutes, minutes + length):
                plans.append(
                    {
                        "room": room,
                        "series": len(series) - 1,
                        "day": day,
                        "start": minutes,
                        "end": minutes + length,
                        "booker": booker,
                        "agency": agency,
                        "title": title,
                        "level": Booking.Level.ORDINARY,
                        "major": "",
                        "people": people,
                        "created": series[-1].created_at,
                    }
                )
    return bulk_stamped(ctx, BookingSeries, series), plans


def _plan_singles(ctx, rooms, planner, organisers, workdays, count):
    rng, plans = ctx.rng, []
    by_kind = defaultdict(list)
    for room in rooms:
        by_kind[room.kind].append(room)
    shares = [(k, s) for k, s in KIND_SHARE if by_kind[k]]
    total_weight = sum(MONTH_WEIGHT[d.month] for d in workdays)
    carry = 0.0
    for day in workdays:
        carry += count * MONTH_WEIGHT[day.month] / total_weight
        wanted, carry = int(carry), carry - int(carry)
        for _n in range(wanted):
            for _attempt in range(8):
                kind = _pick(rng, shares)
                room = rng.choice(by_kind[kind])
                hour, minute = rng.choice(STARTS)
                if rng.random() < 0.03:
                    hour, minute = 19, 0  # an evening meeting now and then
                start = hour * 60 + minute
                end = start + _duration(rng, kind)
                if planner.take(room, day, start, min(end, 21 * 60)):
                    break
            else:
                continue  # the day is full: the booking is not made
            booker, agency, short = organisers.pick(rng, room)
            level, major = Booking.Level.ORDINARY, ""
            roll = rng.random()
            if (kind == K.AUDITORIUM and roll < 0.3) or (kind == K.MEDIUM and roll < 0.02):
                title, major = rng.choice(MAJOR)
                level = Booking.Level.MAJOR
            else:
                if (kind == K.AUDITORIUM and roll < 0.7) or (kind == K.MEDIUM and roll < 0.22):
                    level = Booking.Level.IMPORTANT
                title = f"{short}{rng.choice(TOPICS[kind])}"
            low = max(1, room.capacity // (3 if kind == K.AUDITORIUM else 4))
            people = rng.randint(low, room.capacity)
            if rng.random() < 0.02:
                people = room.capacity + rng.randint(1, 10)  # more than the seats: approval
            lead = dt.timedelta(hours=rng.randint(2, 24 * (14 if level == "major" else 5)))
            plans.append(
                {
                    "room": room,
                    "series": None,
                    "day": day,
                    "start": start,
                    "end": min(end, 21 * 60),
                    "booker": booker,
                    "agency": agency,
                    "title": title,
                    "level": level,
                    "major": major,
                    "people": people,
                    "created": _at(day, start) - lead,
                }
            )
    return plans
