"""The service's settings, plus the bare reference page the load benchmark measures against."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
