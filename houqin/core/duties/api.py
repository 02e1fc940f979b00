"""duties API (read/write endpoints registered on the /api/v1/ router)."""


def register(router):
    pass
