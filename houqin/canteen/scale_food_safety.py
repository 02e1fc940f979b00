"""The canteen year's food safety (part of houqin/canteen/scale.py).

Workers, morning checks, samples, purchase inspections and tableware disinfection, and the
year of the four food-safety duty plans' tasks, completed by those records as the services
would. A mixin of scale.Year: it uses the year's clock (ts, when, now), rng and bulk.
"""

import datetime as dt
from decimal import Decimal

from houqin.core.duties.checklist import clean_completion
from houqin.core.duties.generation import task_for
from houqin.core.duties.models import DutyPlan, DutyRecord, DutyTask
from houqin.core.duties.recurrence import occurrences

from .models import (
    CanteenWorker,
    FoodSafetyPlan,
    MorningCheck,
    PurchaseInspection,
    SampleRetention,
)
from .services.food_safety import food_safety_plans_ensure, keep_until_for

FS = FoodSafetyPlan.Kind
PURCHASES = [  # name, spec, unit, shelf life (days), quantity range, supplier
    ("大米", "25kg/袋", "袋", 365, (10, 40), 0),
    ("面粉", "25kg/袋", "袋", 270, (2, 8), 0),
    ("食用植物油", "5L/桶", "桶", 540, (5, 20), 0),
    ("鲜猪肉", "散装", "kg", 3, (80, 200), 1),
    ("鸡肉", "散装", "kg", 3, (50, 150), 1),
    ("鲜鸡蛋", "30枚/板", "板", 30, (20, 60), 2),
    ("时令蔬菜", "散装", "kg", 3, (150, 400), 2),
    ("豆腐", "散装", "kg", 2, (20, 60), 2),
    ("鲈鱼", "鲜活", "kg", 2, (30, 80), 3),
    ("纯牛奶", "250ml×24", "箱", 180, (5, 20), 0),
]
SUPPLIERS = [
    ("XX粮油贸易有限公司", "XX市XX区粮油批发市场A区12号", "0775-2821001", "JY14509020012345"),
    ("XX肉联厂", "XX市XX区屠宰场路8号", "0775-2822002", "JY14509020023456"),
    ("XX农产品配送中心", "XX市XX区农贸物流园3栋", "0775-2823003", "JY14509020034567"),
    ("XX水产批发部", "XX市XX区水产市场B区6号", "0775-2824004", "JY14509020045678"),
]
WORKERS = "王建国 李秀英 张伟 刘芳 陈强 黄丽 赵磊 吴敏 周杰 徐静 孙涛 马燕 朱平 胡娟 郭勇"
POSTS = ["厨师长", "面点师", "切配", "窗口售餐", "洗消", "厨师", "采购验收"]


class FoodSafetyYear:
    # ------------------------------------------------------------------ food safety

    def food_safety(self):
        """Workers, morning checks, samples, purchase inspections, and the four duty plans'
        tasks of the year, completed by those records as the services would."""
        ctx, rng = self.ctx, self.rng
        start = ctx.at(ctx.first_day, 0)
        food_safety_plans_ensure(actor=self.manager, center=ctx.center, now=start)
        links = FoodSafetyPlan.objects.filter(center=ctx.center).select_related("plan")
        plans = {link.kind: link.plan for link in links}
        # ensure() generated the first fortnight's open tasks: rebuilt below for the year.
        DutyTask.objects.filter(plan__in=list(plans.values())).delete()
        DutyPlan.objects.filter(pk__in=[p.pk for p in plans.values()]).update(
            created_at=start - dt.timedelta(days=5)
        )
        hired = self.when(self.ts(ctx.first_day, 9) - 30 * 86400)
        names = WORKERS.split()
        workers = self.bulk(
            CanteenWorker,
            [
                CanteenWorker(
                    center_id=self.cid,
                    name=names[i % 15] + (f"{i // 15 + 1}" if i >= 15 else ""),
                    post=POSTS[i % len(POSTS)],
                    employer="XX餐饮管理有限公司",
                    health_cert_no=f"JK{self.year}{i + 1:04d}",
                    health_cert_expires=dt.date(
                        self.year + 1, rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    created_at=hired,
                    updated_at=hired,
                )
                for i in range(max(5, ctx.scaled(15)))
            ],
        )
        done = {}  # (kind, due ts) → (completed ts, answers, notes)
        self.bulk(MorningCheck, self.morning_checks(workers, done))
        self.bulk(SampleRetention, self.samples(workers, done))
        self.bulk(PurchaseInspection, self.purchases(done))
        self.tableware(done)
        self.duty_tasks(plans, done)

    def recorded(self, day, hour, late=False):
        """When the record of a task due at `hour` is made: mostly before it, 2 % late."""
        due = self.ts(day, hour)
        if late or self.rng.random() < 0.02:
            return due + 3 * 3600 + self.rng.randint(0, 3600)
        return due - self.rng.randint(5 * 60, 40 * 60)

    def begun(self):
        return [d for d in self.workdays if self.ts(d, 7) <= self.now]

    @staticmethod
    def end_hour(slot, after=0):
        return min(slot.serve_until.hour + (1 if slot.serve_until.minute else 0) + after, 23)

    def morning_checks(self, workers, done):
        rng, manager = self.rng, self.manager.pk
        hour = min(min(s.serve_from for s in self.slots.values()), dt.time(7, 0)).hour
        for day in self.begun():
            at, checks, unfit = self.recorded(day, hour), 0, []
            for w in workers:
                if rng.random() < 0.04:
                    continue  # on leave
                temperature = Decimal(f"36.{rng.randint(0, 9)}")
                symptom = rng.random() < 0.004 and rng.choice(
                    ("fever", "diarrhoea", "sore_throat", "skin_wound")
                )
                if symptom == "fever":
                    temperature = Decimal(f"37.{rng.randint(4, 9)}")
                stamp = self.when(at - rng.randint(0, 20 * 60))
                check = MorningCheck(
                    center_id=self.cid, worker_id=w.pk, date=day, temperature=temperature,
                    fit_for_duty=not symptom, checked_by_id=manager,
                    note="调离直接入口食品岗位，安排休息" if symptom else "",
                    created_at=stamp, updated_at=stamp,
                )  # fmt: skip
                if symptom:
                    setattr(check, symptom, True)
                    unfit.append(f"{w.name}（不宜上岗），{check.note}")
                checks += 1
                yield check
            notes = ("不宜从事直接入口食品工作：" + "；".join(unfit)) if unfit else ""
            answers = {"workers": checks, "unfit": len(unfit), "all_checked": True}
            done[(FS.MORNING_CHECK, self.ts(day, hour))] = (at, answers, notes)

    def samples(self, workers, done):
        rng, manager = self.rng, self.manager.pk
        for p in self.plans:
            if not p.done:
                continue
            hour = self.end_hour(self.slots[p.meal])
            late = rng.random() < 0.02
            kept = (
                self.recorded(p.day, hour, True) if late else p.serve_from - rng.randint(300, 1500)
            )
            keeper, weights = rng.choice(workers).name, []
            for dish in p.dishes:
                weights.append(rng.choice((125, 130, 150, 150, 160, 200)))
                discard_after = kept + 48 * 3600
                gone = discard_after + rng.randint(0, 20 * 3600)
                gone = gone if gone <= self.now else None
                yield SampleRetention(
                    center_id=self.cid, menu_id=p.menu.pk, dish_id=dish.pk,
                    weight_grams=weights[-1], kept_at=self.when(kept), kept_by=keeper,
                    fridge="留样冰箱1号", discard_after=self.when(discard_after),
                    discarded_at=self.when(gone) if gone else None,
                    discarded_by_id=manager if gone else None, recorded_by_id=manager,
                    created_at=self.when(kept), updated_at=self.when(gone or kept),
                )  # fmt: skip
            answers = {"dishes": len(weights), "min_weight": min(weights), "sealed": True,
                       "kept_by": keeper}  # fmt: skip
            done[(FS.SAMPLE, self.ts(p.day, hour))] = (kept, answers, "")

    def purchases(self, done):
        rng, manager = self.rng, self.manager.pk
        for day in self.begun():
            last, batches, rejected = self.ts(day, 7, 30), 0, 0
            count = min(len(PURCHASES), self.ctx.scaled(rng.randint(4, 8)))
            for name, spec, unit, shelf, (low, high), s in rng.sample(PURCHASES, count):
                last += rng.randint(5 * 60, 25 * 60)
                produced = day - dt.timedelta(days=rng.randint(0, shelf // 8))
                expires = produced + dt.timedelta(days=shelf)
                refused = rng.random() < 0.01
                supplier, address, contact, licence = SUPPLIERS[s]
                batches, rejected = batches + 1, rejected + refused
                yield PurchaseInspection(
                    center_id=self.cid, purchased_on=day, item_name=name, spec=spec, unit=unit,
                    quantity=Decimal(rng.randint(low, high)), production_date=produced,
                    batch_no=f"{produced:%Y%m%d}{rng.randint(1, 99):02d}", expires_on=expires,
                    supplier_name=supplier, supplier_address=address, supplier_contact=contact,
                    certificate_no=f"{licence}-{day:%m%d}",
                    result="rejected" if refused else "accepted",
                    note="感官检查不合格，已拒收退回" if refused else "",
                    keep_until=keep_until_for(day, expires), inspected_by_id=manager,
                    created_at=self.when(last), updated_at=self.when(last),
                )  # fmt: skip
            if rng.random() < 0.02:
                last = self.ts(day, 18) + rng.randint(60, 3600)  # entered after the grace
            answers = {"batches": batches, "rejected": rejected, "complete": True}
            done[(FS.PURCHASE, self.ts(day, 10))] = (last, answers, "")

    def tableware(self, done):
        rng = self.rng
        for day in self.begun():
            for slot in self.slots.values():
                hour = self.end_hour(slot, 1)
                answers = {
                    "method": rng.choice(("热力消毒（蒸汽）", "洗碗机热力消毒")),
                    "temperature": rng.choice((90, 95, 100)), "minutes": 15, "stored": True,
                }  # fmt: skip
                done[(FS.TABLEWARE, self.ts(day, hour))] = (self.recorded(day, hour), answers, "")

    def duty_tasks(self, plans, done):
        start = self.ctx.at(self.ctx.first_day, 0)
        end = start + dt.timedelta(days=(self.ctx.last_day - self.ctx.first_day).days + 1)
        workdays, manager = set(self.workdays), self.manager.pk
        tasks, records = [], []
        for kind, plan in plans.items():
            grace = plan.grace_minutes * 60
            for due in occurrences(
                plan.rrule, plan.dtstart, start, end, workdays_only=plan.workdays_only,
                workdays=workdays,
            ):  # fmt: skip
                due_ts = int(due.timestamp())
                at, answers, notes = done.get((kind, due_ts), (None, None, ""))
                finished = at is not None and at <= self.now
                made = self.when(due_ts - 14 * 86400)
                task = task_for(
                    plan, due, status="done" if finished else "open",
                    completed_at=self.when(at) if finished else None,
                    created_at=made, updated_at=self.when(at) if finished else made,
                )  # fmt: skip
                tasks.append(task)
                if finished:
                    cleaned = clean_completion(plan.checklist, answers, {}, notes=notes)
                    record = DutyRecord(
                        center_id=self.cid, completed_by_id=manager, completed_at=self.when(at),
                        answers=cleaned.answers, notes=notes, failed_items=cleaned.failed_items,
                        on_time=at <= due_ts + grace, created_at=self.when(at),
                        updated_at=self.when(at),
                    )  # fmt: skip
                    record.task = task
                    records.append(record)
        self.bulk(DutyTask, tasks)
        for record in records:
            record.task_id = record.task.pk
        self.bulk(DutyRecord, records)
