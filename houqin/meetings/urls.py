from django.urls import path

from . import feeds
from .views import bookings, grid, rooms, sheet

app_name = "meetings"
urlpatterns = [
    path("", grid.grid, name="grid"),
    path("bookings/", bookings.booking_list, name="booking_list"),
    path("bookings/new/", bookings.booking_create, name="booking_create"),
    path("bookings/<int:pk>/", bookings.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/edit/", bookings.booking_edit, name="booking_edit"),
    path("bookings/<int:pk>/cancel/", bookings.booking_cancel, name="booking_cancel"),
    path(
        "bookings/<int:pk>/cancel-rest/", bookings.booking_cancel_rest, name="booking_cancel_rest"
    ),
    path("bookings/<int:pk>/check-in/", bookings.booking_check_in, name="booking_check_in"),
    path("bookings/<int:pk>/served/", bookings.booking_served, name="booking_served"),
    path("bookings/<int:pk>/booking.ics", feeds.booking_ics, name="booking_ics"),
    path("sheet/", sheet.service_sheet, name="service_sheet"),
    path("rooms/", rooms.room_list, name="room_list"),
    path("rooms/new/", rooms.room_create, name="room_create"),
    path("rooms/<int:pk>/", rooms.room_edit, name="room_edit"),
    path("rooms/<int:pk>/blocks/new/", rooms.room_block_create, name="room_block_create"),
    path("blocks/<int:pk>/delete/", rooms.room_block_delete, name="room_block_delete"),
    path("feeds/", feeds.feed_list, name="feed_list"),
    path("feeds/<str:token>.ics", feeds.feed, name="feed"),
]
