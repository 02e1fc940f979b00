"""Time bench/run_http.sh's read pages in process (no network, no queueing), with their SQL.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=… \\
        python bench/http_inprocess.py bench/var/http-1/run-<time>/reads.tsv [name …]

For each page of reads.tsv (written by http_prepare.py): log in as its login with Django's test
client, request it once to warm up, then 3 times, printing the times, the number of SQL queries,
their total time and the 3 slowest. It tells database time from Python time when a page misses
its target (see bench/RESULTS.md).
"""

import sys
import time

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main():
    User = get_user_model()
    wanted = set(sys.argv[2:])
    with open(sys.argv[1]) as reads:
        pages = [line.rstrip("\n").split("\t") for line in reads if line.strip()]
    for name, login, path in pages:
        if wanted and name not in wanted:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=login))
        client.get(path)
        times = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
        sql = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
        total = sum(float(q["time"]) for q in sql) * 1000
        print(
            f"{name} {response.status_code}: {' / '.join(f'{t:.0f}' for t in times)} ms; "
            f"{len(sql)} queries, {total:.0f} ms SQL"
        )
        for query in sql[:3]:
            print(f"    {float(query['time']) * 1000:.0f} ms  {query['sql'][:200]}")


if __name__ == "__main__":
    main()
