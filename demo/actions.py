"""Loading the synthetic demo council: one bulk write, recorded in the audit trail.

Building model instances costs more than writing the rows, so the council goes in as plain
rows (demo/loader.py) inside one action; the audit trail gets one row per kind of record
loaded, naming the range of ids, rather than one per row.
"""

import datetime as dt

from django.contrib.auth.hashers import make_password

from accounts.models import Team, User
from assessment.models import Assessment, EligibilityDecision
from budgets.models import PackageService, PersonalBudget
from core.actions import action, audit_bulk
from people.models import CaringRelationship, Person, PersonIdSequence

from . import loader
from .passwords import demo_password

REASON = "Loaded with the demo council"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


@action
def load_demo_council(council, versions, *, acting_user=None, on_progress=None) -> dict:
    """Write a generated council (demo/generator.py) into an empty database."""
    progress = on_progress or (lambda n: None)
    teams = _teams(council.teams)
    users = _users(council.staff + council.representatives, teams)
    person_ids = _people(council, teams, users)
    progress(len(council.people))
    counts = _assessments(council, person_ids, teams, users, versions)
    counts[CaringRelationship] = _caring(council, person_ids)
    progress(len(council.people))
    PersonIdSequence.advance_to(len(council.people))
    audit_bulk(
        Person, person_ids, f"Loaded {len(person_ids):,} synthetic people ({REASON.lower()})"
    )
    for model, ids in counts.items():
        audit_bulk(model, ids, f"Loaded {len(ids):,} synthetic records ({REASON.lower()})")
    return {
        "people": len(person_ids),
        **{m._meta.verbose_name_plural: len(i) for m, i in counts.items()},
    }


def _teams(teams: list[dict]) -> dict[str, Team]:
    existing = {team.code: team for team in Team.objects.all()}
    Team.objects.bulk_create([Team(**t) for t in teams if t["code"] not in existing])
    return {team.code: team for team in Team.objects.all()}


def _users(rows: list[dict], teams: dict[str, Team]) -> dict[str, User]:
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
    return {u.username: u for u in User.objects.filter(username__in=[r["username"] for r in rows])}


def _people(council, teams, users) -> list[int]:
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


def _assessments(council, person_ids, teams, users, versions) -> None:
    assessors = _assessors(teams)
    team_of = {index: row["team"] for index, row in enumerate(council.people)}
    assessment_rows, decision_rows, budget_rows, service_rows = [], [], [], []
    first_assessment = loader.next_id(Assessment)
    first_decision = loader.next_id(EligibilityDecision)
    first_budget = loader.next_id(PersonalBudget)
    next_service = loader.next_id(PackageService)
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
                "outcome_evidence": {},
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
        # The package of support the budget pays for: its services add up to the amount.
        for service, units, unit_cost, weekly in item["services"]:
            service_rows.append(
                {
                    "id": next_service,
                    "budget_id": first_budget + offset,
                    "service": service,
                    "units_a_week": units,
                    "unit_cost_pence": unit_cost,
                    "weekly_pence": weekly,
                }
            )
            next_service += 1
        budget_rows.append(
            {
                "id": first_budget + offset,
                "person_id": person_ids[item["person"]],
                "allocation_id": None,
                "amount_pence": item["weekly_pence"],
                "period": "week",
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
    loader.write_with_history(PackageService, service_rows, reason=REASON)
    loader.reset_sequences(Assessment, EligibilityDecision, PersonalBudget, PackageService)
    return {
        Assessment: [row["id"] for row in assessment_rows],
        EligibilityDecision: [row["id"] for row in decision_rows],
        PersonalBudget: [row["id"] for row in budget_rows],
        PackageService: [row["id"] for row in service_rows],
    }


def _assessors(teams) -> dict[str, int]:
    """A practitioner from each team, who recorded its assessments."""
    found = {}
    for user in User.objects.filter(role="practitioner", team__isnull=False).order_by("username"):
        found.setdefault(user.team.code, user.pk)
    fallback = next(iter(found.values()))
    return {code: found.get(code, fallback) for code in teams}


def _caring(council, person_ids) -> list[int]:
    """Each carer's assessment names the person cared for: both records show the link."""
    first = loader.next_id(CaringRelationship)
    rows = [
        {
            "id": first + offset,
            "carer_id": person_ids[item["person"]],
            "cared_for_id": person_ids[item["cared_for"]],
            "started": item["completed"] - dt.timedelta(days=14),
            "ended": None,
            "created_by_id": None,
            "created_at": _at(item["completed"]),
        }
        for offset, item in enumerate(a for a in council.assessments if "cared_for" in a)
    ]
    loader.write_with_history(CaringRelationship, rows, reason=REASON)
    loader.reset_sequences(CaringRelationship)
    return [row["id"] for row in rows]
