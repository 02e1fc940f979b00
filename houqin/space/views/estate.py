"""Leases, renovation projects and ownership registration: one module each."""

from . import leases, ownership, projects

urlpatterns = [*leases.urlpatterns, *projects.urlpatterns, *ownership.urlpatterns]
