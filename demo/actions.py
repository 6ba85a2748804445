"""Loading the synthetic demo council: one bulk write, recorded in the audit trail.

Building model instances costs more than writing the rows, so the council goes in as plain
rows (demo/loader.py) inside one action; the audit trail gets one row per kind of record
loaded, naming the range of ids, rather than one per row.
"""

import concurrent.futures
import datetime as dt
import functools

from django.contrib.auth.hashers import make_password

from accounts.models import Team, User
from allocation.population import layout_digest, packer
from assessment.models import Assessment, EligibilityDecision
from budgets.models import (
    DirectPaymentOffer,
    FundingStream,
    ManagementShare,
    PackageService,
    PanelDecision,
    PersonalBudget,
)
from core import bulk
from core.actions import action, audit_bulk
from people.models import CaringRelationship, Person, PersonIdSequence
from reviews.models import ReablementEpisode, Review

from . import loader
from .generator import DemoCouncil, default_definition
from .passwords import demo_password

REASON = "Loaded with the demo council"
# The models loaded in bulk (with their history).
LOADED = (
    Person,
    Assessment,
    EligibilityDecision,
    PanelDecision,
    PersonalBudget,
    PackageService,
    CaringRelationship,
    ManagementShare,
    FundingStream,
    DirectPaymentOffer,
    Review,
    ReablementEpisode,
)


@functools.cache
def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A time on a day (made once per day: a council's dates repeat)."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


@action
def load_demo_council(council, versions, *, acting_user=None, on_progress=None) -> dict:
    """Write a generated council (demo/generator.py) into an empty database: a DemoCouncil, or
    the stages of one being made (`council_in_stages`), each written while the next is made."""
    progress = on_progress or (lambda n: None)
    # Everyone has the demo password, hashed once: hashing is slow on purpose (a quarter of a
    # second), so it is hashed on another thread while the people are made (hashlib lets go
    # of the interpreter's lock while it works).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as hasher:
        hashed = hasher.submit(make_password, demo_password())
        stages = _Stages(council)
        council = stages.reach("people")
        password = hashed.result()
    teams = _teams(council.teams)
    users = _users(council.staff + council.representatives, teams, password)
    logins = _logins(council, password)
    assessors = _assessors(teams)
    # Ids are chosen up front, so the database is not asked while the rows go in.
    first = {model: loader.next_id(model) for model in LOADED}
    person_ids: list[int] = []
    # The rows go in (and each table's indexes and foreign keys are built, once, when its
    # rows are all in: core/bulk.py) on a second thread while the next rows are made.
    with (
        bulk.Pipeline(loader.tables(*LOADED)) as pipeline,
        bulk.checks_at_the_end(loader.tables(*LOADED), pipeline=pipeline) as checks,
    ):
        load = _Load(pipeline, checks, first, assessors)
        _people(load, council, person_ids, teams, users, logins)
        # Indexes built now, while the assessments are made: the carers, a few thousand, go
        # in afterwards through them (and are checked at the commit), as any insert would.
        load.finished(Person)
        # The assessments are written as they are made, a part at a time.
        assessments = _Assessments(load, person_ids, versions)
        # Their indexes are built once their rows are in (assessments.finish), as the other
        # tables' are. (They were built first, for the rows to go in through them while the
        # database waited for the next part: now the answers are drawn at once, the database
        # is the one waited for, and sorting once costs it less: PostgreSQL's CPU 13.4-14.3 s
        # against 13.1-13.9 s for the seed, back to back.)
        council = stages.reach("assessed", on_each=assessments.write)
        _people(load, council, person_ids, teams, users, logins)  # the carers, if not yet
        progress(len(council.people))
        assessments.write(council)  # the carers' own, and any not written yet
        assessed = assessments.finish()
        caring = _caring(load, council, person_ids)
        council = stages.reach("complete")
        budgets = _budgets(load, council, person_ids)
        counts = {
            PanelDecision: budgets[PanelDecision],
            **assessed,
            PersonalBudget: budgets[PersonalBudget],
            PackageService: budgets[PackageService],
            CaringRelationship: caring,
        }
        # Agreed support: how budgets are taken, carers' budgets, reviews, reablement.
        counts.update(_agreed_support(load, council, person_ids, teams, counts[PersonalBudget]))
    loader.reset_sequences(*LOADED)
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


class _Stages:
    """A council made, or being made in stages (generator.council_in_stages)."""

    def __init__(self, council):
        self._stages = iter(
            [("complete", council)] if isinstance(council, DemoCouncil) else council
        )
        self._done: set[str] = set()
        self._council = None

    def reach(self, stage: str, on_each=None) -> DemoCouncil:
        """The council once this stage is made (at once if it already is); `on_each(council)`
        after each step made on the way."""
        while stage not in self._done:
            name, self._council = next(self._stages)
            self._done.add(name)
            if name == "complete":
                self._done.update(("people", "assessed"))
            if on_each is not None and stage not in self._done:
                on_each(self._council)
        return self._council


class _Load:
    """What the table writers share: where rows go (a core.bulk.Pipeline), the checks to put
    back once a table is written, each table's first id, and each team's assessor."""

    def __init__(self, pipeline, checks, first, assessors):
        self.pipeline, self.checks, self.first, self.assessors = pipeline, checks, first, assessors

    def write(self, model, rows: list[dict]) -> None:
        loader.write_with_history(model, rows, reason=REASON, pipeline=self.pipeline)

    def finished(self, *models_) -> None:
        """The bulk of these models' rows is in: their indexes and foreign keys can be built
        (the few rows written after go in through them)."""
        self.checks.finished(*loader.tables(*models_))


def _teams(teams: list[dict]) -> dict[str, Team]:
    existing = {team.code: team for team in Team.objects.all()}
    Team.objects.bulk_create([Team(**t) for t in teams if t["code"] not in existing])
    return {team.code: team for team in Team.objects.all()}


def _users(rows: list[dict], teams: dict[str, Team], password: str) -> dict[str, int]:
    """Staff and representatives, all with the demo password (`password`, hashed): their ids
    by username. Written in bulk as plain rows (demo/loader.py), as bulk_create would."""
    taken = set(User.objects.values_list("username", flat=True))
    first = loader.next_id(User)
    new = [row for row in rows if row["username"] not in taken]
    loader.write(
        User,
        [
            {
                "id": first + offset,
                "username": row["username"],
                "first_name": row["first_name"],
                "last_name": row["last_name"],
                "role": row["role"],
                "team_id": team.pk if (team := teams.get(row.get("team"))) else None,
                "job_title": row.get("job_title", ""),
                "password": password,
                "is_staff": row["role"] == "admin",
                "is_superuser": row["role"] == "admin",
            }
            for offset, row in enumerate(new)
        ],
    )
    loader.reset_sequences(User)
    return dict(
        User.objects.filter(username__in=[r["username"] for r in rows]).values_list(
            "username", "id"
        )
    )


def _logins(council, password: str) -> dict:
    """The demo people's own sign-ins (the `person` login), made before the load."""
    logins = {}
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
    return logins


# The people are handed to the pipeline this many at a time: the database starts on the first
# of them while the rest are turned into rows (nothing else is ready for it yet).
PEOPLE_AT_A_TIME = 25_000


def _people(load, council, person_ids: list[int], teams, users, logins) -> None:
    """Write the people not yet written (adding their ids to `person_ids`)."""
    first = load.first[Person]
    team_ids = {code: team.pk for code, team in teams.items()}
    rows = []
    for offset in range(len(person_ids), len(council.people)):
        row = council.people[offset]
        # A copy (made in C): the loader takes the columns it knows, and leaves the
        # generator's "team", "representative" and "login" aside.
        values = dict(row)
        values["id"] = first + offset
        values["team_id"] = team_ids[row["team"]]
        values["representative_id"] = users.get(row.get("representative"))
        login = logins.get(row.get("login"))
        values["user_id"] = login.pk if login else None
        rows.append(values)
        person_ids.append(first + offset)
        if len(rows) == PEOPLE_AT_A_TIME:
            load.write(Person, rows)
            rows = []
    load.write(Person, rows)


class _Assessments:
    """Assessments and their eligibility decisions, written a part at a time."""

    def __init__(self, load, person_ids, versions):
        self.load, self.person_ids, self.versions = load, person_ids, versions
        # The answers packed for a model run's bulk read, as Assessment.save would pack them:
        # the layout's digest and the generator's option indexes, when the live version asks
        # the generator's questions with its options in its order (otherwise packed anew).
        self.packers = {kind: packer(version.compiled) for kind, version in versions.items()}
        self.prefixes = {
            kind: _prefix(version.compiled, kind) for kind, version in versions.items()
        }
        self.written = 0

    def write(self, council) -> None:
        """Write the assessments made since the last call."""
        start, self.written = self.written, len(council.assessments)
        if start < self.written:
            _assessments(self, council, start, self.written)

    def finish(self) -> dict:
        self.load.finished(Assessment, EligibilityDecision)
        return {
            Assessment: list(range(self.load.first[Assessment], self.first_after(Assessment))),
            EligibilityDecision: list(
                range(self.load.first[EligibilityDecision], self.first_after(EligibilityDecision))
            ),
        }

    def first_after(self, model) -> int:
        return self.load.first[model] + self.written


def _assessments(part: _Assessments, council, start: int, end: int) -> None:
    load, person_ids, versions, packers = part.load, part.person_ids, part.versions, part.packers
    prefixes, choices = part.prefixes, council.choices
    assessors = load.assessors
    people = council.people
    assessment_rows, decision_rows = [], []
    first_assessment = load.first[Assessment]
    first_decision = load.first[EligibilityDecision]
    for offset in range(start, end):
        item = council.assessments[offset]
        assessor = assessors[people[item["person"]]["team"]]
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
                "packed_answers": packers[item["kind"]](item["answers"])
                if (prefix := prefixes[item["kind"]]) is None
                else prefix + choices[offset],
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
    load.write(Assessment, assessment_rows)
    load.write(EligibilityDecision, decision_rows)


def _prefix(scheme, kind: str) -> bytes | None:
    """The packed answers' layout digest (allocation.population) when `scheme` asks the
    questions of the generator's scheme of this kind, each with its options in the same order:
    then an assessment's packed answers are the digest and the generator's option indexes."""
    generated = default_definition(kind)
    layout = [(q.code, [o.code for o in q.options]) for q in generated.questions]
    asked = [
        (code, sorted(options, key=options.get))
        for code, options in zip(scheme.question_codes, scheme.option_index, strict=True)
    ]
    return layout_digest(scheme) if asked == layout else None


def _budgets(load, council, person_ids) -> dict:
    """The budgets of eligible people, the packages they pay for, and the funding panel's
    decisions on those above the RAS amount."""
    assessors = load.assessors
    team_of = {index: row["team"] for index, row in enumerate(council.people)}
    budget_rows, service_rows = [], []
    first_budget = load.first[PersonalBudget]
    next_service = load.first[PackageService]
    panel_rows = _panel_decisions(load, council, person_ids, team_of)
    load.write(
        PanelDecision,
        [
            {k: v for k, v in row.items() if k not in ("budget_offset", "indicative_pence")}
            for row in panel_rows
        ],
    )
    load.finished(PanelDecision)
    panel_of = {row["budget_offset"]: row for row in panel_rows}
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
                "reason": panel_of[offset]["reasons"]
                if offset in panel_of
                else "Arranged before the RAS",
                "indicative_pence": panel_of[offset]["indicative_pence"]
                if offset in panel_of
                else None,
                "panel_decision_id": panel_of[offset]["id"] if offset in panel_of else None,
                "created_by_id": assessors[team_of[item["person"]]],
                "created_at": _at(item["start_date"]),
            }
        )
    load.write(PersonalBudget, budget_rows)  # carers' budgets follow (_agreed_support)
    load.write(PackageService, service_rows)
    load.finished(PersonalBudget, PackageService)
    return {
        PanelDecision: [row["id"] for row in panel_rows],
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


def _caring(load, council, person_ids) -> list[int]:
    """Each carer's assessment names the person cared for: both records show the link."""
    first = load.first[CaringRelationship]
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
    load.write(CaringRelationship, rows)
    load.finished(CaringRelationship)
    return [row["id"] for row in rows]


def _panel_decisions(load, council, person_ids, team_of) -> list[dict]:
    """The funding panel's decisions on budgets above the RAS amount (demo/support.py)."""
    assessors = load.assessors
    first = load.first[PanelDecision]
    rows = []
    for offset, (item, ways) in enumerate(zip(council.budgets, council.support, strict=True)):
        panel = ways["panel"]
        if panel is None:
            continue
        rows.append(
            {
                "id": first + len(rows),
                "budget_offset": offset,
                "indicative_pence": panel["indicative_pence"],
                "person_id": person_ids[item["person"]],
                "requested_pence": panel["requested_pence"],
                "agreed_pence": panel["requested_pence"],
                "period": "week",
                "outcome": "agreed",
                "reasons": panel["reasons"],
                "decided_by_id": assessors[team_of[item["person"]]],
                "decided_at": _at(item["start_date"] - dt.timedelta(days=3)),
            }
        )
    return rows


def _agreed_support(load, council, person_ids, teams, budget_ids) -> dict:
    """How each budget is taken (shares) and funded (streams), direct payment offers, carers'
    budgets, reviews and reablement episodes, from demo/support.py."""
    assessors = load.assessors
    team_code = [row["team"] for row in council.people]
    # Reviews first: the largest of these tables goes in while the others are made.
    first_review = load.first[Review]
    review_rows = [
        {
            "id": first_review + offset,
            "person_id": person_ids[item["person"]],
            "team_id": teams[team_code[item["person"]]].pk,
            "plan_id": None,
            "kind": item["kind"],
            "reason": "",
            "due_on": item["due_on"],
            "status": item["status"],
            "ascot": item["ascot"],
            "changes": item["changes"],
            "cancel_reason": "",
            "completed_by_id": assessors[team_code[item["person"]]]
            if item["completed_on"]
            else None,
            "completed_on": item["completed_on"],
            "started_at": _at(item["completed_on"]) if item["completed_on"] else None,
            "started_by_id": assessors[team_code[item["person"]]] if item["completed_on"] else None,
            "created_at": _at(item["due_on"] - dt.timedelta(days=180)),
        }
        for offset, item in enumerate(council.reviews)
    ]
    load.write(Review, review_rows)
    load.finished(Review)
    shares, streams, offers = [], [], []
    next_share, next_stream, next_offer = (
        load.first[ManagementShare],
        load.first[FundingStream],
        load.first[DirectPaymentOffer],
    )

    def add_ways(budget_id, ways, person, start):
        nonlocal next_share, next_stream, next_offer
        for mode, amount, provider in ways["shares"]:
            shares.append(
                {
                    "id": next_share,
                    "budget_id": budget_id,
                    "mode": mode,
                    "amount_pence": amount,
                    "provider": provider,
                    "authorised_person": "",
                    "authorised_person_agreed_on": None,
                }
            )
            next_share += 1
        for stream, amount in ways["streams"]:
            streams.append(
                {
                    "id": next_stream,
                    "budget_id": budget_id,
                    "stream": stream,
                    "amount_pence": amount,
                }
            )
            next_stream += 1
        if ways["offer"]:
            outcome, reason = ways["offer"]
            offers.append(
                {
                    "id": next_offer,
                    "budget_id": budget_id,
                    "offered_on": start - dt.timedelta(days=7),
                    "offered_by_id": assessors[team_code[person]],
                    "outcome": outcome,
                    "reason": reason,
                }
            )
            next_offer += 1

    for budget_id, item, ways in zip(budget_ids, council.budgets, council.support, strict=True):
        add_ways(budget_id, ways, item["person"], item["start_date"])
    first_budget = load.first[PersonalBudget] + len(budget_ids)  # after the people's own
    carer_rows = []
    for offset, item in enumerate(council.carer_budgets):
        budget_id = first_budget + offset
        carer_rows.append(
            {
                "id": budget_id,
                "person_id": person_ids[item["person"]],
                "allocation_id": None,
                "kind": "carer",
                "amount_pence": item["amount_pence"],
                "period": item["period"],
                "start_date": item["start_date"],
                "end_date": None,
                "status": "active",
                "reason": item["purpose"],
                "created_by_id": assessors[team_code[item["person"]]],
                "created_at": _at(item["start_date"]),
            }
        )
        add_ways(
            budget_id,
            {
                "shares": [("direct_payment", item["amount_pence"], "")],
                "streams": [("carers", item["amount_pence"])],
                "offer": ("taken_up", ""),
            },
            item["person"],
            item["start_date"],
        )
    load.write(PersonalBudget, carer_rows)
    load.write(ManagementShare, shares)
    load.write(FundingStream, streams)
    load.write(DirectPaymentOffer, offers)
    load.finished(ManagementShare, FundingStream, DirectPaymentOffer)
    first_episode = load.first[ReablementEpisode]
    episode_rows = [
        {
            **{k: v for k, v in item.items() if k != "person"},
            "id": first_episode + offset,
            "person_id": person_ids[item["person"]],
            "longer_reason": "",
            "started_by_id": assessors[team_code[item["person"]]],
            "created_at": _at(item["starts_on"]),
        }
        for offset, item in enumerate(council.reablement)
    ]
    load.write(ReablementEpisode, episode_rows)
    return {
        ManagementShare: [row["id"] for row in shares],
        FundingStream: [row["id"] for row in streams],
        DirectPaymentOffer: [row["id"] for row in offers],
        Review: [row["id"] for row in review_rows],
        ReablementEpisode: [row["id"] for row in episode_rows],
        PersonalBudget: [*budget_ids, *(row["id"] for row in carer_rows)],
    }
