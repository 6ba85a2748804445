"""Load the synthetic demo council into the database."""

import os
import sys
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.utils import get_history_manager_for_model
from tqdm import tqdm

from accounts.models import Team, User
from demo.generator import build_council
from people.models import Person, PersonIdSequence

DEFAULT_DEMO_PASSWORD = "demo-council-2026"  # noqa: S105 - the made-up demo council only
BATCH = 2000


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


class Command(BaseCommand):
    help = "Build a deterministic synthetic council: teams, staff logins, people (DESIGN.md §6)."

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
        started = time.perf_counter()
        progress = tqdm(
            total=people * 2,
            desc="Demo council",
            unit="rows",
            file=sys.stderr,
            disable=no_progress,
            dynamic_ncols=True,
        )
        council = build_council(people, seed)
        progress.update(people)
        with transaction.atomic():
            teams = self._teams(council.teams)
            users = self._users(council.staff + council.representatives, teams)
            self._people(council.people, teams, users, progress)
            PersonIdSequence.advance_to(people)
        progress.close()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo council: {people:,} people, {len(council.staff):,} staff, "
                f"{len(council.representatives):,} representatives, {len(teams)} teams "
                f"(seed {seed}) in {elapsed:.1f} s."
            )
        )

    def _teams(self, teams: list[dict]) -> dict[str, Team]:
        existing = {team.code: team for team in Team.objects.all()}
        Team.objects.bulk_create([Team(**t) for t in teams if t["code"] not in existing])
        return {team.code: team for team in Team.objects.all()}

    def _users(self, rows: list[dict], teams: dict[str, Team]) -> dict[str, User]:
        """Staff and representatives, all with the demo password (hashed once: hashing is slow on purpose)."""
        password = make_password(demo_password())
        taken = set(User.objects.values_list("username", flat=True))
        new = []
        for row in rows:
            if row["username"] in taken:
                continue
            new.append(
                User(
                    username=row["username"],
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    role=row["role"],
                    team=teams.get(row.get("team")),
                    job_title=row.get("job_title", ""),
                    password=password,
                    is_staff=row["role"] == "admin",
                    is_superuser=row["role"] == "admin",
                )
            )
        User.objects.bulk_create(new, batch_size=BATCH)
        return {
            u.username: u for u in User.objects.filter(username__in=[r["username"] for r in rows])
        }

    def _people(self, rows: list[dict], teams, users, progress) -> None:
        history = get_history_manager_for_model(Person)
        password = make_password(demo_password())
        for start in range(0, len(rows), BATCH):
            batch = []
            for row in rows[start : start + BATCH]:
                fields = {
                    k: v for k, v in row.items() if k not in ("team", "representative", "login")
                }
                person = Person(
                    **fields,
                    team=teams[row["team"]],
                    representative=users.get(row.get("representative")),
                )
                if row.get("login"):
                    login = User.objects.filter(
                        username=row["login"]
                    ).first() or User.objects.create(
                        username=row["login"],
                        first_name=row["first_name"],
                        last_name=row["last_name"],
                        role="person",
                        password=password,
                    )
                    person.user = login
                batch.append(person)
            created = Person.objects.bulk_create(batch)
            history.bulk_history_create(
                created, default_change_reason="Loaded with the demo council"
            )
            progress.update(len(batch))
