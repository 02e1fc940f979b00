"""Fixtures of the notifications tests: registered kinds, users with email addresses and a
real local HTTP server standing in for a WeCom/DingTalk robot."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from houqin.core.notifications import kinds

from .helpers import KIND, OTHER_KIND, Robot


@pytest.fixture(autouse=True)
def registered_kinds():
    kinds.register_kind(KIND, "申请已批准")
    kinds.register_kind(OTHER_KIND, "任务已指派")
    yield
    kinds._KINDS.pop(KIND, None)
    kinds._KINDS.pop(OTHER_KIND, None)


@pytest.fixture(autouse=True)
def _locmem_email_and_no_proxy(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HOUQIN_SITE_URL = "https://houqin.example.gov.cn"
    settings.NOTIFICATION_WEBHOOK_TIMEOUT = 2
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def robot():
    state = Robot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            state.received.append(
                {
                    "path": self.path,
                    "content_type": self.headers.get("Content-Type", ""),
                    "json": json.loads(raw.decode("utf-8")),
                }
            )
            body = json.dumps(state.reply).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=robot-secret"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def closed_port_url():
    """An address where nothing listens: the connection is refused."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/hook"
