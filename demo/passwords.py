"""The demo council's shared password: for the synthetic demo only (helper for seed_demo)."""

import os

DEFAULT_DEMO_PASSWORD = "demo-council-2026"  # noqa: S105 - the made-up demo council only


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
