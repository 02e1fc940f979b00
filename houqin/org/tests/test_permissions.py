"""Tenant and department isolation: other centers and other agencies get 404, never data."""

import pytest
from django.urls import reverse

from houqin.org.models import OrgUnit, Person

pytestmark = pytest.mark.django_db


def _object_urls(person, unit, account):
    return [
        ("get", reverse("org:person_detail", args=[person.pk])),
        ("get", reverse("org:person_edit", args=[person.pk])),
        ("post", reverse("org:person_edit", args=[person.pk])),
        ("post", reverse("org:person_status", args=[person.pk])),
        ("post", reverse("org:person_reveal", args=[person.pk])),
        ("get", reverse("org:unit_edit", args=[unit.pk])),
        ("post", reverse("org:unit_move", args=[unit.pk])),
        ("post", reverse("org:unit_toggle", args=[unit.pk])),
        ("post", reverse("org:unit_delete", args=[unit.pk])),
        ("get", reverse("org:account_detail", args=[account.pk])),
        ("post", reverse("org:account_detail", args=[account.pk])),
        ("post", reverse("org:account_reset_password", args=[account.pk])),
        ("post", reverse("org:account_toggle", args=[account.pk])),
        ("post", reverse("org:account_unlock", args=[account.pk])),
    ]


def test_other_center_admin_gets_404_everywhere(client, admin_b, staff_x, agency_x, section_x):
    person = staff_x.person
    client.force_login(admin_b)
    for method, url in _object_urls(person, section_x, staff_x):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
    # Nothing changed.
    person.refresh_from_db()
    staff_x.refresh_from_db()
    assert person.status == "active" and staff_x.is_active
    assert OrgUnit.objects.filter(pk=section_x.pk, is_active=True).exists()


def test_other_center_lists_show_nothing_of_a(client, admin_b, staff_x, agency_x, person_b):
    client.force_login(admin_b)
    html = client.get(reverse("org:person_list")).content.decode()
    assert person_b.name in html and staff_x.person.name not in html
    html = client.get(reverse("org:unit_list")).content.decode()
    assert agency_x.name not in html
    html = client.get(reverse("org:account_list")).content.decode()
    assert "staff_x" not in html


def test_unknown_ids_give_404(client, admin_a):
    client.force_login(admin_a)
    assert client.get(reverse("org:person_detail", args=[999999])).status_code == 404
    assert client.get("/org/people/abc/").status_code == 404


def test_liaison_sees_only_own_agency(client, liaison_x, person_y, staff_x):
    client.force_login(liaison_x)
    html = client.get(reverse("org:person_list")).content.decode()
    assert staff_x.person.name in html and person_y.name not in html
    assert client.get(reverse("org:person_detail", args=[person_y.pk])).status_code == 404
    assert client.get(reverse("org:person_detail", args=[staff_x.person.pk])).status_code == 200
    # Liaisons read; they do not edit, import or manage accounts.
    assert client.get(reverse("org:person_edit", args=[staff_x.person.pk])).status_code == 403
    assert client.get(reverse("org:person_import")).status_code == 403
    assert client.get(reverse("org:account_list")).status_code == 403


def test_liaison_cannot_reveal_sensitive(client, liaison_x, staff_x):
    client.force_login(liaison_x)
    url = reverse("org:person_reveal", args=[staff_x.person.pk])
    assert client.post(url).status_code == 403


def test_staff_has_no_org_pages(client, staff_x):
    client.force_login(staff_x)
    for name in ("org:person_list", "org:unit_list", "org:account_list", "core:audit"):
        assert client.get(reverse(name)).status_code == 403, name


def test_menu_shows_only_role_modules(client, admin_a, staff_x, auditor_a):
    client.force_login(staff_x)
    html = client.get(reverse("home")).content.decode()
    assert reverse("org:person_list") not in html and reverse("core:audit") not in html
    client.force_login(admin_a)
    html = client.get(reverse("home")).content.decode()
    assert reverse("org:person_list") in html and reverse("org:account_list") in html
    assert reverse("core:audit") not in html  # 三员分立: the admin does not read the audit log
    client.force_login(auditor_a)
    html = client.get(reverse("home")).content.decode()
    assert reverse("core:audit") in html and reverse("org:account_list") not in html


def test_person_model_has_no_cross_center_agency(center_a, agency_b):
    # The selector scopes by center; a row pointing across centers is refused by the service.
    assert not Person.objects.filter(center=center_a, agency=agency_b).exists()
