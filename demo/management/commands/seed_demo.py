"""Load the synthetic demo council into the database."""

import gc
import random
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from allocation import actions as allocation_actions
from allocation.models import RasVersion, ReferenceRate
from challenges.demo import seed_challenges
from demo import actions
from demo.generator import council_in_stages
from demo.passwords import DEFAULT_DEMO_PASSWORD, demo_password
from people.models import Person

__all__ = ["DEFAULT_DEMO_PASSWORD", "demo_password"]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1", "testserver"})


def refusal() -> str | None:
    """Why the demo council must not be loaded here, if it must not.

    Never in production. Elsewhere, the published password is only for a demo that answers on
    this machine alone: a server others can reach needs a DEMO_PASSWORD of its own.
    """
    if settings.IS_PRODUCTION:
        return (
            "SELFDIRECT_ENV=production: the demo council is made up and is never loaded into "
            "a council's real database."
        )
    reachable = [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]
    if reachable and demo_password() == DEFAULT_DEMO_PASSWORD:
        return (
            f"This server answers to {', '.join(reachable)}, and the demo sign-ins would have "
            "the password published in the README. Set DEMO_PASSWORD to a password of your own."
        )
    return None


class Command(BaseCommand):
    help = "Build a deterministic synthetic council: teams, staff logins, people, assessments, budgets."

    def add_arguments(self, parser):
        parser.add_argument(
            "--people", type=int, default=5000, help="How many people (default 5,000)"
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="The same seed gives the same council"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if people are already loaded"
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar")

    def handle(self, *args, people, seed, if_empty, no_progress, **options):
        reason = refusal()
        if reason:
            raise CommandError(reason)
        if people < 1:
            raise CommandError("--people must be at least 1")
        if Person.objects.exists():
            if if_empty:
                self.stdout.write(
                    "The database already holds people: the demo council was not loaded again."
                )
                return
            raise CommandError(
                "The database already holds people. Load the demo council into an empty database."
            )
        if connection.vendor == "postgresql":
            # The load is dozens of small transactions around one large one: each need not
            # wait for its commit to reach the disk. Safe for a demo being loaded: a crash
            # could lose only the last transactions, never leave a half-written one.
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
        # The council is millions of small dicts and tuples, none in a cycle: the cyclic
        # garbage collector would walk them again and again as they pile up (about an eighth
        # of the Python time, measured). It is back as it was once the load is done.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._load(people, seed, no_progress)
        finally:
            if collecting:
                gc.enable()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("RESET synchronous_commit")

    def _load(self, people: int, seed: int, no_progress: bool) -> None:
        began = time.perf_counter()
        allocation_actions.ship_default_schemes(acting_user=None)
        allocation_actions.ship_example_schemes(acting_user=None)
        if not ReferenceRate.objects.exists():
            allocation_actions.ship_reference_rates(acting_user=None)
        versions = {kind: RasVersion.objects.live_on(kind) for kind in ("person", "carer")}
        if None in versions.values():
            raise CommandError(
                "No RAS scheme is live today for people and for carers: publish one first."
            )
        started = time.perf_counter()
        progress = tqdm(
            total=people * 3,
            desc="Demo council",
            unit="rows",
            file=sys.stderr,
            disable=no_progress,
            dynamic_ncols=True,
            mininterval=0.5,
        )
        made = _Made(council_in_stages(people, seed, on_person=lambda: progress.update(1)))
        # Each part of the council is written while the next is made (demo/actions.py).
        actions.load_demo_council(made, versions, acting_user=None, on_progress=progress.update)
        council = made.council
        written = time.perf_counter()
        seed_challenges(random.Random(seed), count=max(4, min(8, people // 500)))
        progress.close()
        elapsed = time.perf_counter() - started
        # Where the time went, for tuning (bench/council.py times the whole command).
        stages = (
            f"schemes {started - began:.1f} s, made and written {written - started:.1f} s "
            f"(making {made.seconds:.1f} s of it), challenges {time.perf_counter() - written:.1f} s"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo council: {people:,} people (and {len(council.people) - people:,} carers), "
                f"{len(council.assessments):,} assessments, {len(council.budgets):,} budgets, "
                f"{len(council.staff):,} staff, {len(council.representatives):,} representatives, "
                f"{len(council.teams)} teams (seed {seed}) in {elapsed:.1f} s ({stages})."
            )
        )


class _Made:
    """The council's stages as they are made, and how long making them took."""

    def __init__(self, stages):
        self._stages = stages
        self.seconds = 0.0
        self.council = None

    def __iter__(self):
        return self

    def __next__(self):
        began = time.perf_counter()
        try:
            stage, self.council = next(self._stages)
        finally:
            self.seconds += time.perf_counter() - began
        return stage, self.council
