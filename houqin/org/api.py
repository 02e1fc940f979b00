"""org API: org units and people, scoped exactly like the UI (built out in org/api.py)."""


def register(router):
    pass
