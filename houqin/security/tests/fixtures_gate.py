"""Helpers and fixtures of the gate tests (imported explicitly by test_visits.py and the
test_views_gate / visits / settings modules: `from .fixtures_gate import FIXTURES`-style, the
fixture functions are named *_fixture so a test argument does not shadow the import)."""

import datetime as dt

import pytest
from django.utils import timezone

from houqin.org.tests.factories import PersonFactory, make_user
from houqin.org.validators import id_check_digit
from houqin.security.models import Gate
from houqin.security.services import visits as services

NOW = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0))


def resident_id(first17="45010219900101123"):
    """A valid 18-digit 居民身份证 number (the check digit computed)."""
    return first17 + id_check_digit(first17)


ID_X = "11010519491231002X"  # a real-format number whose check digit is X
ID_OK = resident_id()


@pytest.fixture(name="host")
def host_fixture(agency_x):
    """A member of staff of agency X with an account: invites visitors, is told of arrivals."""
    return make_user(PersonFactory(agency=agency_x, name="财政局小李"), username="host_x")


@pytest.fixture(name="screening_gate")
def screening_gate_fixture(center_a):
    return Gate.objects.create(
        center=center_a,
        name="西门",
        screening_per_entry=True,
        checks=[
            {"key": "c1", "label": "体温正常", "type": "bool"},
            {"key": "c2", "label": "无可疑物品", "type": "bool"},
        ],
    )


def register(actor, gate, host_agency, **kwargs):
    data = {
        "name": "张三",
        "id_type": "resident",
        "id_number": ID_OK,
        "phone": "13800001111",
        "company": "某某建设公司",
        "party_size": 1,
        "host_agency": host_agency,
        "purpose": "洽谈工程",
        "plate": "",
        "now": NOW,
    }
    data.update(kwargs)
    return services.visit_register(actor=actor, gate=gate, **data)


def invite(actor, **kwargs):
    data = {
        "name": "李四",
        "expected_at": NOW + dt.timedelta(hours=2),
        "purpose": "送交材料",
        "phone": "13900002222",
        "now": NOW,
    }
    data.update(kwargs)
    return services.visit_invite(actor=actor, **data)
