from django.urls import path

from .views import accounts, people, units

app_name = "org"
urlpatterns = [
    path("units/", units.unit_list, name="unit_list"),
    path("units/new/", units.unit_create, name="unit_create"),
    path("units/<int:pk>/", units.unit_edit, name="unit_edit"),
    path("units/<int:pk>/move/", units.unit_move, name="unit_move"),
    path("units/<int:pk>/toggle/", units.unit_toggle, name="unit_toggle"),
    path("units/<int:pk>/delete/", units.unit_delete, name="unit_delete"),
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/import/", people.person_import, name="person_import"),
    path("people/import/template/", people.person_import_template, name="person_import_template"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/status/", people.person_status, name="person_status"),
    path("people/<int:pk>/reveal/", people.person_reveal, name="person_reveal"),
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path(
        "accounts/<int:pk>/reset-password/",
        accounts.account_reset_password,
        name="account_reset_password",
    ),
    path("accounts/<int:pk>/toggle/", accounts.account_toggle_active, name="account_toggle"),
    path("accounts/<int:pk>/unlock/", accounts.account_unlock, name="account_unlock"),
    path("ranks/", accounts.rank_list, name="rank_list"),
]
