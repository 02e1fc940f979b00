from django.urls import path

from .views import board, driver, manage, requests, vehicles

app_name = "fleet"
urlpatterns = [
    path("requests/", requests.request_list, name="request_list"),
    path("requests/new/", requests.request_create, name="request_create"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/cancel/", requests.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/rate/", requests.request_rate, name="request_rate"),
    path("board/", board.board, name="board"),
    path("requests/<int:pk>/unmet/", board.request_unmet, name="request_unmet"),
    path("dispatch/", board.dispatch, name="dispatch"),
    path("trips/<int:pk>/", board.trip_detail, name="trip_detail"),
    path("trips/<int:pk>/cancel/", board.trip_cancel, name="trip_cancel"),
    path("trips/<int:pk>/sheet.docx", board.trip_sheet, name="trip_sheet"),
    path("my-trips/", driver.my_trips, name="my_trips"),
    path("trips/<int:pk>/start/", driver.trip_start, name="trip_start"),
    path("trips/<int:pk>/end/", driver.trip_end, name="trip_end"),
    path("vehicles/", vehicles.vehicle_list, name="vehicle_list"),
    path("vehicles/new/", vehicles.vehicle_create, name="vehicle_create"),
    path("vehicles/<int:pk>/", vehicles.vehicle_edit, name="vehicle_edit"),
    path("vehicles/<int:pk>/seal/", vehicles.vehicle_seal, name="vehicle_seal"),
    path("vehicles/<int:pk>/fuel/", vehicles.fuel_add, name="fuel_add"),
    path("vehicles/<int:pk>/repair/", vehicles.repair_add, name="repair_add"),
    path("statistics.xlsx", vehicles.statistics_xlsx, name="statistics_xlsx"),
    path("trips/<int:pk>/reassign/", board.trip_reassign, name="trip_reassign"),
    path("quotas/", manage.quota_list, name="quota_list"),
    path("quotas/<int:pk>/delete/", manage.quota_delete, name="quota_delete"),
    path("drivers/", manage.driver_list, name="driver_list"),
    path("drivers/new/", manage.driver_create, name="driver_create"),
    path("drivers/<int:pk>/", manage.driver_edit, name="driver_edit"),
    path("teams/new/", manage.team_create, name="team_create"),
    path("shifts/", manage.shift_roster, name="shift_roster"),
    path("shifts/<int:pk>/delete/", manage.shift_delete, name="shift_delete"),
]
