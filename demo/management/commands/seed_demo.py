"""Load the synthetic demo council into the database."""

import datetime as dt
import os
import sys
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from accounts.models import Team, User
from allocation.defaults import ensure_default_schemes
from allocation.models import RasVersion
from assessment.models import Assessment, EligibilityDecision
from budgets.models import PersonalBudget
from demo import loader
from demo.generator import build_council
from people.models import Person, PersonIdSequence

DEFAULT_DEMO_PASSWORD = "demo-council-2026"  # noqa: S105 - the made-up demo council only
REASON = "Loaded with the demo council"


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1", "testserver"})


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


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


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


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
        ensure_default_schemes()
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
        council = build_council(people, seed, on_person=lambda: progress.update(1))
        with transaction.atomic():
            teams = self._teams(council.teams)
            users = self._users(council.staff + council.representatives, teams)
            person_ids = self._people(council, teams, users)
            progress.update(people)
            self._assessments(council, person_ids, teams, users, versions)
            progress.update(people)
            PersonIdSequence.advance_to(len(council.people))
        progress.close()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo council: {people:,} people (and {len(council.people) - people:,} carers), "
                f"{len(council.assessments):,} assessments, {len(council.budgets):,} budgets, "
                f"{len(council.staff):,} staff, {len(council.representatives):,} representatives, "
                f"{len(teams)} teams (seed {seed}) in {elapsed:.1f} s."
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
        new = [
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
            for row in rows
            if row["username"] not in taken
        ]
        User.objects.bulk_create(new, batch_size=2000)
        return {
            u.username: u for u in User.objects.filter(username__in=[r["username"] for r in rows])
        }

    def _people(self, council, teams, users) -> list[int]:
        first = loader.next_id(Person)
        logins = {}
        password = make_password(demo_password())
        for row in council.people:
            if row.get("login"):
                logins[row["login"]] = User.objects.filter(
                    username=row["login"]
                ).first() or User.objects.create(
                    username=row["login"],
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    role="person",
                    password=password,
                )
        rows = []
        for offset, row in enumerate(council.people):
            values = {k: v for k, v in row.items() if k not in ("team", "representative", "login")}
            login = logins.get(row.get("login"))
            rep = users.get(row.get("representative"))
            values.update(
                id=first + offset,
                team_id=teams[row["team"]].pk,
                representative_id=rep.pk if rep else None,
                user_id=login.pk if login else None,
            )
            rows.append(values)
        loader.write_with_history(Person, rows, reason=REASON)
        loader.reset_sequences(Person)
        return [first + offset for offset in range(len(council.people))]

    def _assessments(self, council, person_ids, teams, users, versions) -> None:
        assessors = self._assessors(teams)
        team_of = {index: row["team"] for index, row in enumerate(council.people)}
        assessment_rows, decision_rows, budget_rows = [], [], []
        first_assessment = loader.next_id(Assessment)
        first_decision = loader.next_id(EligibilityDecision)
        first_budget = loader.next_id(PersonalBudget)
        for offset, item in enumerate(council.assessments):
            assessor = assessors[team_of[item["person"]]]
            completed = _at(item["completed"])
            started = _at(item["completed"] - dt.timedelta(days=14), 9)
            assessment_id = first_assessment + offset
            assessment_rows.append(
                {
                    "id": assessment_id,
                    "person_id": person_ids[item["person"]],
                    "kind": item["kind"],
                    "mode": item["mode"],
                    "status": "completed",
                    "version_id": versions[item["kind"]].pk,
                    "answers": item["answers"],
                    "cared_for_id": person_ids[item["cared_for"]] if "cared_for" in item else None,
                    "started_by_id": assessor,
                    "started_at": started,
                    "submitted_by_id": assessor,
                    "submitted_at": completed - dt.timedelta(days=3),
                    "declaration_name": "Completed with the person",
                    "completed_by_id": assessor,
                    "completed_at": completed,
                    "is_current": True,
                }
            )
            decision_rows.append(
                {
                    "id": first_decision + offset,
                    "assessment_id": assessment_id,
                    "arises_from_condition": True,
                    "health_at_risk": item.get("health_at_risk", False),
                    "unable_outcomes": item["unable"],
                    "outcome_notes": {},
                    "significant_impact": item["eligible"],
                    "eligible": item["eligible"],
                    "reasons": "Decided at assessment"
                    if item["eligible"]
                    else "Needs do not meet the national criteria",
                    "decided_by_id": assessor,
                    "decided_at": completed,
                }
            )
        for offset, item in enumerate(council.budgets):
            budget_rows.append(
                {
                    "id": first_budget + offset,
                    "person_id": person_ids[item["person"]],
                    "allocation_id": None,
                    "weekly_amount": item["weekly_amount"],
                    "start_date": item["start_date"],
                    "end_date": None,
                    "status": "active",
                    "reason": "Arranged before the RAS",
                    "created_by_id": assessors[team_of[item["person"]]],
                    "created_at": _at(item["start_date"]),
                }
            )
        loader.write_with_history(Assessment, assessment_rows, reason=REASON)
        loader.write_with_history(EligibilityDecision, decision_rows, reason=REASON)
        loader.write_with_history(PersonalBudget, budget_rows, reason=REASON)
        loader.reset_sequences(Assessment, EligibilityDecision, PersonalBudget)

    def _assessors(self, teams) -> dict[str, int]:
        """A practitioner from each team, who recorded its assessments."""
        found = {}
        for user in User.objects.filter(role="practitioner", team__isnull=False).order_by(
            "username"
        ):
            found.setdefault(user.team.code, user.pk)
        fallback = next(iter(found.values()))
        return {code: found.get(code, fallback) for code in teams}
