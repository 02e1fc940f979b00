"""No two active bookings of one room overlap: a PostgreSQL exclusion constraint on
(room, [starts_at, ends_at)) for the active statuses (ARCHITECTURE rule 3).

It is added with SQL rather than Meta.constraints because SQLite has no exclusion
constraints; there the booking services' IMMEDIATE transactions serialise writers.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "meetings_booking_no_overlap"
ACTIVE = "('pending', 'confirmed', 'served')"  # Booking.ACTIVE


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE meetings_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        f"(room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
        f"WHERE (status IN {ACTIVE})"
    )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE meetings_booking DROP CONSTRAINT {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [BtreeGistExtension(), migrations.RunPython(add, remove)]
