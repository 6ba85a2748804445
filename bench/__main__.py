"""Run the benchmarks: `python -m bench [name ...]` (all of them by default)."""

import argparse
import importlib
import os
import sys
from pathlib import Path

BENCHMARKS = ["people_pages", "ras_engine"]


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
        importlib.import_module(f"bench.{name}").run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
