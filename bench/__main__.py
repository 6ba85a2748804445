"""Run the benchmarks: `python -m bench [name ...]` (all of them by default)."""

import argparse
import importlib
import os
import sys
from pathlib import Path

BENCHMARKS = ["ras_engine", "people_pages", "plans_pages", "reviews_pages", "ras_model_run", "load"]
# These share one seeded throwaway database (bench/council.py).
DATABASE_BENCHMARKS = {"people_pages", "plans_pages", "reviews_pages", "ras_model_run", "load"}


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "names", nargs="*", default=BENCHMARKS, help=f"Which to run: {', '.join(BENCHMARKS)}"
    )
    parser.add_argument(
        "--people", type=int, default=None, help="Override the number of people seeded"
    )
    args = parser.parse_args()
    for name in args.names:
        if name not in BENCHMARKS:
            parser.error(f"Unknown benchmark {name!r}")
    for name in [n for n in args.names if n not in DATABASE_BENCHMARKS]:
        importlib.import_module(f"bench.{name}").run(args)
    database = [n for n in args.names if n in DATABASE_BENCHMARKS]
    if database:
        from bench.council import PEOPLE, seeded

        with seeded(args.people or PEOPLE) as vendor:
            for name in database:
                importlib.import_module(f"bench.{name}").run(args, vendor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
