"""Roles sync, masking, encryption and Excel helpers."""

import io

import pytest
from django.contrib.auth.models import Group
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from houqin.core.crypto import decrypt, encrypt, mask_id_number, mask_phone
from houqin.core.roles import Role, role_permissions, sync_role_groups
from houqin.core.xlsx import Column, build_workbook


@pytest.mark.django_db
def test_every_role_has_a_group_with_declared_permissions():
    sync_role_groups()
    declared = role_permissions()
    for role in Role:
        group = Group.objects.get(name=role.value)
        actual = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert actual == set(declared[role.value]), role


@pytest.mark.django_db
def test_sync_is_idempotent_and_repairs_hand_edits():
    group = Group.objects.get(name=Role.AUDITOR)
    group.permissions.clear()
    sync_role_groups()
    sync_role_groups()
    assert group.permissions.filter(codename="view_auditlogentry").exists()


def test_mask_examples():
    assert mask_phone("13800000000") == "138****0000"
    assert mask_id_number("450102199001011234") == "4501**********1234"
    assert mask_phone("") == "" and mask_id_number(None) == ""


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_mask_phone_hides_middle_digits(phone):
    masked = mask_phone(phone)
    assert masked[3:7] == "****" and masked[:3] == phone[:3] and masked[-4:] == phone[-4:]


@given(st.from_regex(r"\d{17}[\dX]", fullmatch=True))
def test_mask_id_hides_birth_date(number):
    masked = mask_id_number(number)
    assert len(masked) == 18 and number[6:14] not in masked[4:14]
    assert set(masked[4:14]) == {"*"}


@given(st.text(min_size=1, max_size=40))
def test_encrypt_round_trip(value):
    token = encrypt(value)
    assert token != value and decrypt(token) == value


def test_decrypt_garbage_gives_empty():
    assert decrypt("not-a-token") == ""


def test_export_never_writes_formulas():
    workbook = build_workbook("t", [Column("a", "A")], [['=HYPERLINK("http://x")'], ["ok"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
