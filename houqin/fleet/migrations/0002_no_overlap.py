"""A vehicle and a driver are never on two overlapping active trips: PostgreSQL exclusion
constraints (btree_gist) on (vehicle, [starts_at, ends_at)) and (driver, [starts_at, ends_at))
for scheduled and in-progress trips. SQLite has none; the dispatch service's IMMEDIATE
transaction and row locks serialise writers there."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

ACTIVE = "('scheduled', 'in_progress')"  # Trip.ACTIVE


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in ("vehicle_id", "driver_id"):
        schema_editor.execute(
            f"ALTER TABLE fleet_trip ADD CONSTRAINT fleet_trip_{column}_no_overlap "
            f"EXCLUDE USING gist ({column} WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
            f"WHERE (status IN {ACTIVE})"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in ("vehicle_id", "driver_id"):
        schema_editor.execute(
            f"ALTER TABLE fleet_trip DROP CONSTRAINT fleet_trip_{column}_no_overlap"
        )


class Migration(migrations.Migration):
    dependencies = [("fleet", "0001_initial")]
    operations = [BtreeGistExtension(), migrations.RunPython(add, remove)]
