"""Fixtures of the 节约型机关 page tests: a liaison of another agency, a center leader, the
media folder, and helpers to enrol many agencies and to build uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from houqin.core.roles import Role
from houqin.energy.services.conservation import unit_enroll
from houqin.org.tests.factories import PersonFactory, make_unit, make_user


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def liaison_y(agency_y):
    return make_user(
        PersonFactory(agency=agency_y, name="联络员乙"), Role.LIAISON, username="liaison_y"
    )


@pytest.fixture
def liaison_b(agency_b):
    return make_user(
        PersonFactory(agency=agency_b, name="乙中心联络员"), Role.LIAISON, username="liaison_b"
    )


@pytest.fixture
def unit_y(batch, agency_y):
    return unit_enroll(actor=None, batch=batch, agency=agency_y)


def enrol_many(batch, center, n, start=0):
    """Enrol `n` new agencies of `center` in `batch`."""
    return [
        unit_enroll(
            actor=None, batch=batch, agency=make_unit(center, f"测试局{i:02d}", code=f"T{i:02d}")
        )
        for i in range(start, start + n)
    ]


def pdf(name="节能制度.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * 200, content_type="application/pdf")


def fake_pdf(name="病毒.pdf"):
    """A Windows executable renamed .pdf."""
    return SimpleUploadedFile(
        name, b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf"
    )
