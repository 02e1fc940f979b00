"""Objects of the fleet app for a user, or 404 (missing and forbidden look the same)."""

from django.shortcuts import get_object_or_404

from .selectors import requests_for, trips_for, vehicles_for


def get_request_for_user(user, pk):
    return get_object_or_404(requests_for(user), pk=pk)


def get_trip_for_user(user, pk):
    return get_object_or_404(trips_for(user), pk=pk)


def get_vehicle_for_user(user, pk):
    return get_object_or_404(vehicles_for(user), pk=pk)
