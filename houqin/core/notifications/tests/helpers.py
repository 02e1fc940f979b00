"""Helpers of the notifications tests (fixtures are in conftest.py)."""

from houqin.core.notifications.models import WebhookEndpoint

KIND = "test.approved"
OTHER_KIND = "test.assigned"


def with_email(user, email):
    user.email = email
    user.save(update_fields=["email"])
    return user


def make_endpoint(center, url, *, name="值班群机器人", kinds=(), is_active=True):
    return WebhookEndpoint.objects.create(
        center=center, name=name, url=url, kinds=list(kinds), is_active=is_active
    )


class Robot:
    """What the fake robot received, and what it answers."""

    def __init__(self):
        self.received = []
        self.status = 200
        self.reply = {"errcode": 0, "errmsg": "ok"}
        self.url = ""

    @property
    def last(self):
        return self.received[-1]
