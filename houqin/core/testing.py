"""Helpers for the test suites of every app (imported by tests only)."""

import threading

import pytest
from django.db import connection

# Races need concurrent writers: SQLite serialises every write transaction, so these tests
# only prove something on PostgreSQL (CI runs the suite on both).
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers on PostgreSQL"
)


def run_at_once(calls):
    """Run every call in its own thread, released together by a barrier.

    Returns [(result, exception)] in the order of `calls`. Each thread closes its own database
    connection; the test must use django_db(transaction=True) so the threads see its data.
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = (call(), None)
        except Exception as exc:  # collected and asserted on by the test
            results[i] = (None, exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(r is not None for r in results), "a thread did not finish"
    return results


# Data migrations whose rows the flush after a transactional test removes (pytest-django runs
# transactional tests after the others, so only they need it back).
SEED_MIGRATIONS = (
    "houqin.org.migrations.0002_seed_ranks",
    "houqin.space.migrations.0002_seed_area_standards",
    "houqin.energy.migrations.0002_seed_factors",
)


def restore_migrated_data():
    """Put back what `migrate` writes: seeded configuration rows and the role groups."""
    import importlib

    from django.apps import apps

    from houqin.core.roles import sync_role_groups

    for module in SEED_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)
    sync_role_groups()
