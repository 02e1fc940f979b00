"""Sample gunicorn configuration for houqin (not tested in CI; adjust to the machine).

    /opt/houqin/.venv/bin/gunicorn -c deploy/gunicorn.conf.py

gunicorn is not a dependency of the project: `.venv/bin/pip install gunicorn`.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
chdir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# nginx on the same machine proxies to this address (see deploy/nginx/houqin.conf).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = 1
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
timeout = 60  # the annual Word report is the slowest page
graceful_timeout = 30
keepalive = 5

# Trust X-Forwarded-* only from the local nginx.
forwarded_allow_ips = "127.0.0.1"

accesslog = "-"  # journald via systemd
errorlog = "-"
loglevel = "info"
