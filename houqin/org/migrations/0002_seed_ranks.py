"""Seed 职级 for every organ level from 《党政机关办公用房建设标准》(发改投资〔2014〕2674号),
DOMAIN.md §1. Ranks are configuration: administrators may add, rename or deactivate them.
The office-area limit per rank belongs to the space module (effective-dated AreaStandard)."""

from django.db import migrations

RANKS = {
    "county": [
        ("county-head", "县级正职", True),
        ("county-deputy", "县级副职", True),
        ("section-head", "正科", True),
        ("section-deputy", "副科", True),
        ("below-section", "科级以下", False),
    ],
    "city": [
        ("city-head", "市级正职", True),
        ("city-deputy", "市级副职", True),
        ("city-bureau-head", "正局(处)", True),
        ("city-bureau-deputy", "副局(处)", True),
        ("city-below-bureau", "局(处)级以下", False),
    ],
    "provincial": [
        ("prov-head", "省级正职", True),
        ("prov-deputy", "省级副职", True),
        ("prov-dept-head", "正厅局", True),
        ("prov-dept-deputy", "副厅局", True),
        ("prov-division-head", "正处", True),
        ("prov-division-deputy", "副处", True),
        ("prov-below-division", "处级以下", False),
    ],
    "central": [
        ("central-minister", "部级正职", True),
        ("central-vice-minister", "部级副职", True),
        ("central-bureau-head", "正司局", True),
        ("central-bureau-deputy", "副司局", True),
        ("central-division", "处级", True),
        ("central-below-division", "处级以下", False),
    ],
}


def seed(apps, schema_editor):
    Rank = apps.get_model("org", "Rank")
    for level, ranks in RANKS.items():
        for i, (code, name, leadership) in enumerate(ranks):
            Rank.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "organ_level": level,
                    "seniority": 100 - i * 10,
                    "is_leadership": leadership,
                },
            )


def unseed(apps, schema_editor):
    Rank = apps.get_model("org", "Rank")
    Rank.objects.filter(code__in=[c for ranks in RANKS.values() for c, _n, _l in ranks]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
