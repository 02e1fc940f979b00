"""Shared pieces of the energy serializers: read-only decimals and {id, name} references."""

from rest_framework import serializers


def _decimal(places=2, digits=20, **kwargs):
    return serializers.DecimalField(
        max_digits=digits, decimal_places=places, read_only=True, **kwargs
    )


class EnergyRefSerializer(serializers.Serializer):
    """引用：{id, name}。"""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


def _ref(obj, name=None):
    if obj is None:
        return None
    return {"id": obj.pk, "name": name if name is not None else str(obj)}


def _user_ref(user):
    return None if user is None else {"id": user.pk, "name": user.display_name}
