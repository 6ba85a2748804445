"""Profile the load benchmark's pages in process: what each costs, and where it goes.

    DATABASE_URL=postgres://…/<seeded database> python -m bench.profile_pages [--profile KIND]

Against a database already holding the demo council (`manage.py seed_demo --people=100000`),
it signs the practitioner in as bench/load.py does and, for each kind of page in the load
mix (a caseload page, a filtered caseload, a person's record) and the bare page, prints the
statements one request sends, then the Python CPU and the PostgreSQL backend's CPU per
request: the least over several interleaved rounds, so other work on the machine matters
less than in a timed run; and the Python function calls a request makes, which no other
work changes. `--profile KIND` adds cProfile's top functions for that kind.
Django's test client adds a little Python time of its own to every figure, the bare page's
included; compare pages with each other and with the bare page, not with bench/load.py.
"""

import argparse
import cProfile
import io
import logging
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROUNDS = 15
BATCH = 20


def _kinds(mix: list[str]) -> dict[str, list[str]]:
    return {
        "caseload": [p for p in mix if "after=" in p],
        "filtered": [p for p in mix if "name=" in p],
        "person": [p for p in mix if "?" not in p],
        "bare": ["/bench/bare/"],
    }


def _calls_a_request(client, paths: list[str]) -> float:
    """Python function calls (cProfile's count, built-ins included) a request, test client
    included: unlike a time, the same on a busy machine as on a quiet one."""
    profile = cProfile.Profile()
    batch = (paths * (BATCH // len(paths) + 1))[:BATCH]
    profile.enable()
    for path in batch:
        client.get(path)
    profile.disable()
    return pstats.Stats(profile).total_calls / len(batch)


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.serve_settings")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=["caseload", "filtered", "person", "bare"])
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()

    import django

    django.setup()
    logging.getLogger("selfdirect.requests").disabled = True  # no JSON line per request here
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.load import _cpu_seconds, _mix, _signed_in_cookie

    cookie, user = _signed_in_cookie("practitioner")
    mix, _ = _mix(user, random.Random(2026))
    client = Client()
    name, value = cookie.split("=", 1)
    client.cookies[name] = value
    kinds = _kinds(mix)
    for kind, paths in kinds.items():
        for path in paths[:10]:  # warm caches, prepared statements and the idle clock
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(paths[11 % len(paths)])
        print(f"{kind}: {len(queries)} statements")
        for query in queries:
            print(f"  {query['time']:>6} s  {query['sql'][:150]}")

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    best = dict.fromkeys(kinds, (float("inf"), float("inf")))
    at = dict.fromkeys(kinds, 0)
    for _ in range(ROUNDS):
        for kind, paths in kinds.items():
            batch = [paths[(at[kind] + i) % len(paths)] for i in range(BATCH)]
            at[kind] += BATCH
            python, database = time.process_time(), _cpu_seconds(backend)
            for path in batch:
                client.get(path)
            python = (time.process_time() - python) * 1000 / BATCH
            database = (_cpu_seconds(backend) - database) * 1000 / BATCH
            best[kind] = (min(best[kind][0], python), min(best[kind][1], database))
    calls = {kind: _calls_a_request(client, paths) for kind, paths in kinds.items()}
    for kind, (python, database) in best.items():
        print(
            f"{kind:9} Python {python:6.2f} ms, PostgreSQL {database:5.2f} ms CPU a request; "
            f"{calls[kind]:,.0f} Python function calls a request"
        )

    if args.profile:
        paths = kinds[args.profile]
        profile = cProfile.Profile()
        profile.enable()
        for path in (paths * (200 // len(paths) + 1))[:200]:
            client.get(path)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
