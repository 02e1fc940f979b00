"""Stub: filled in by its owner."""

urlpatterns = []
