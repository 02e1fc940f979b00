"""Plain-row inserts of the canteen year's three big tables (part of houqin/canteen/scale.py).

Orders, lines and ledger rows are written as plain rows — COPY on PostgreSQL, executemany on
SQLite — with the order ids reserved up front; their columns are listed here and test_scale
checks they still match the models.
"""

import datetime as dt
import time

from django.db import connection


def _words(text):
    return text.split()


ORDER_COLUMNS = _words(
    "id created_at updated_at center_id menu_id person_id agency_id wallet_id status total "
    "pickup_code pickup_token idempotency_key placed_by_id collected_at collected_by_id "
    "collected_device_id cancelled_at"
)
LINE_COLUMNS = ["order_id", "item_id", "quantity", "unit_price", "amount"]
LEDGER_COLUMNS = _words(
    "created_at updated_at center_id wallet_id kind method amount balance_after "
    "idempotency_key order_id sale_id reason actor_id approved_by_id"
)


class Rows:
    """Plain-row inserts for the big tables, and their values in each database's form."""

    def __init__(self):
        self.pg = connection.vendor == "postgresql"

    def time(self, ts):
        if ts is None:
            return None
        if self.pg:
            return dt.datetime.fromtimestamp(ts, dt.UTC)
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ts))  # Django's SQLite form

    def reserve(self, model, count) -> int:
        """The first of `count` consecutive ids nobody else will be given."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.pg:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                seq = cursor.fetchone()[0]
                cursor.execute("SELECT setval(%s, nextval(%s) + %s)", [seq, seq, count - 1])
                return cursor.fetchone()[0] - count + 1
            # SQLite: this transaction holds the only write lock, so MAX + 1 onwards is free.
            cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608
            return cursor.fetchone()[0] + 1

    def insert(self, model, columns, rows) -> int:
        if not rows:
            return 0
        table, names = model._meta.db_table, ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if self.pg:
                with raw.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608
                for start in range(0, len(rows), 50_000):
                    raw.executemany(sql, rows[start : start + 50_000])
        return len(rows)


class MenuPlan:
    """A menu in memory: times (epoch seconds), dishes, prices and the portions ordered."""

    __slots__ = (
        "counts", "cutoff", "day", "dishes", "done", "items", "label", "limits", "meal", "menu",
        "prices", "published", "serve_from", "serve_until", "settle",
    )  # fmt: skip
