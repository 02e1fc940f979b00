"""Settings for benchmark runs: houqin's own settings plus the bare comparison view's URL."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
