"""Staff xlsx template, import row parsing and export (masked).

Parsing turns the text of each row into model values (agency by name, rank by name…) and
collects per-row errors; the rules themselves are checked by services.people_import.
"""

from django.utils.translation import gettext as _

from houqin.core.xlsx import Column, build_workbook

from .models import OrgUnit, Person
from .selectors import org_units_for, ranks

PERSON_COLUMNS = [
    Column("name", "姓名", required=True, width=10),
    Column("gender", "性别", required=True, help="男 / 女", width=6),
    Column("agency", "所在单位", required=True, help="单位全称或简称，须已在组织机构中", width=22),
    Column("section", "股室", help="选填，须属于所在单位", width=14),
    Column("rank", "职级", help="选填，如 正科、副科、科级以下", width=12),
    Column("position", "职务", help="选填，如 局长、科员", width=12),
    Column("employment_type", "用工性质", help="在编 / 聘用 / 外包（默认在编）", width=10),
    Column("phone", "手机号码", help="11 位手机号或带区号的固定电话", width=14),
    Column("id_number", "身份证号", help="选填，18 位", width=22),
    Column("note", "备注", width=20),
]

_GENDERS = {label: value for value, label in Person.Gender.choices}
_EMPLOYMENT = {str(label): value for value, label in Person.EmploymentType.choices}
_MAX_LENGTHS = {
    f.name: f.max_length
    for f in Person._meta.get_fields()
    if getattr(f, "max_length", None) and f.name in {"name", "position", "note", "phone"}
}


def parse_rows(raw_rows, user):
    """Map text cells to model values. Each returned row may carry "_errors"."""
    units = list(org_units_for(user).filter(is_active=True))
    agencies = {}
    for unit in units:
        if unit.kind != OrgUnit.Kind.SECTION:
            agencies.setdefault(unit.name, unit)
            if unit.short_name:
                agencies.setdefault(unit.short_name, unit)
    sections = [u for u in units if u.kind == OrgUnit.Kind.SECTION]
    rank_list = list(ranks())
    parsed = []
    for raw in raw_rows:
        errors = []
        row = {"_row": raw["_row"]}
        for key, limit in _MAX_LENGTHS.items():
            if len(raw.get(key, "")) > limit:
                errors.append(_("“%(col)s”超过 %(n)d 个字。") % {"col": _header(key), "n": limit})
        row.update(
            {k: raw.get(k, "")[:200] for k in ("name", "position", "note", "phone", "id_number")}
        )
        gender = raw.get("gender", "")
        row["gender"] = _GENDERS.get(gender)
        if row["gender"] is None:
            errors.append(_("性别应为“男”或“女”，而不是“%(v)s”。") % {"v": gender[:20]})
        agency = agencies.get(raw.get("agency", ""))
        if agency is None:
            errors.append(_("单位“%(v)s”不存在。") % {"v": raw.get("agency", "")[:50]})
        row["agency"] = agency
        row["section"] = None
        if raw.get("section"):
            matches = [
                s
                for s in sections
                if s.name == raw["section"]
                and agency is not None
                and s.path.startswith(agency.path)
            ]
            if matches:
                row["section"] = matches[0]
            else:
                errors.append(_("股室“%(v)s”不属于所在单位。") % {"v": raw["section"][:50]})
        row["rank"] = None
        if raw.get("rank"):
            level = agency.organ_level if agency else None
            matches = [r for r in rank_list if r.name == raw["rank"]]
            matches.sort(key=lambda r: r.organ_level != level)  # prefer the agency's level
            if matches:
                row["rank"] = matches[0]
            else:
                errors.append(_("职级“%(v)s”不存在。") % {"v": raw["rank"][:30]})
        employment = raw.get("employment_type", "")
        row["employment_type"] = _EMPLOYMENT.get(employment) if employment else "civil"
        if row["employment_type"] is None:
            errors.append(_("用工性质应为 在编、聘用 或 外包。"))
        if errors:
            row["_errors"] = errors
        parsed.append(row)
    return parsed


def _header(key):
    return next(c.header for c in PERSON_COLUMNS if c.key == key)


def template_workbook(user):
    example = [["张三", "男", "区财政局", "", "正科", "科长", "在编", "13800000000", "", ""]]
    workbook = build_workbook("人员", PERSON_COLUMNS, example)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "是否必填", "说明"])
    for col in PERSON_COLUMNS:
        notes.append([col.header, "必填" if col.required else "选填", col.help])
    notes.append([])
    notes.append(["可用单位"])
    for unit in org_units_for(user).filter(is_active=True).exclude(kind=OrgUnit.Kind.SECTION):
        notes.append([unit.name, unit.short_name])
    notes.append([])
    notes.append(["可用职级"])
    for rank in ranks():
        notes.append([rank.name, rank.get_organ_level_display()])
    return workbook


EXPORT_COLUMNS = [*PERSON_COLUMNS[:9], Column("status", "状态", width=8)]


def export_workbook(people):
    """Phones and ID numbers are masked in every export (DOMAIN.md §10)."""
    rows = (
        [
            p.name,
            p.get_gender_display(),
            p.agency.name,
            p.section.name if p.section else "",
            p.rank.name if p.rank else "",
            p.position,
            p.get_employment_type_display(),
            p.masked_phone,
            p.masked_id_number,
            p.get_status_display(),
        ]
        for p in people.iterator(chunk_size=500)
    )
    return build_workbook("人员", EXPORT_COLUMNS, rows)
