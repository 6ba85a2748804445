"""A support plan of 30 lines as a practitioner sees it, and the reserve's pages as a
commissioner sees them, in the seeded 100,000-person council (bench/council.py)."""

import datetime as dt
import random
from decimal import Decimal

from bench.people_pages import _percentiles, _time_pages

REQUESTS = 200
LINES = 30
DRAWS = 3_000


def _signed_in(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Bench", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _thirty_lines(rng: random.Random, start: dt.date) -> list[dict]:
    services = ["home_care", "personal_assistant", "day_service", "sleeping_night", "meals"]
    frequencies = ["weekly", "weekly", "weekly", "fortnightly", "monthly", "one_off"]
    lines = []
    for n in range(LINES):
        frequency = rng.choice(frequencies)
        service = "equipment" if frequency == "one_off" else rng.choice(services)
        lines.append(
            {
                "service_type": "sts_ongoing_low_level"
                if service == "equipment"
                else "lts_community",
                "line_type": "equipment" if service == "equipment" else "care",
                "service": service,
                "description": f"Support line {n + 1}",
                "provider_kind": "provider",
                "provider": f"Provider {rng.randint(1, 40)}",
                "units": Decimal(rng.choice(["0.5", "1", "2", "3.5"])),
                "unit_cost_pence": 4_500 if service == "equipment" else None,
                "frequency": frequency,
                "funding_stream": rng.choice(["council", "council", "contribution"]),
                "mode": rng.choice(["council_managed", "direct_payment", "isf"]),
                "start_date": start,
                "end_date": None,
            }
        )
    return lines


def run(args, vendor: str) -> None:
    from accounts.models import User
    from accounts.roles import Role
    from assessment.tests.factories import CompletedAssessmentFactory
    from bench import report
    from budgets import actions as budget_actions
    from budgets.models import PersonalBudget, ReserveDraw
    from core.dates import financial_year
    from people.models import Person
    from plans.tests.factories import DraftPlanFactory

    rng = random.Random(8)
    people = Person.objects.count()
    practitioner = User.objects.get(username="practitioner")
    today = dt.date.today()

    # A plan of 30 lines for someone on the practitioner's caseload (an eligible assessment
    # first, for the proposed budget it is costed against).
    person = Person.objects.visible_to(practitioner).order_by("pk").first()
    CompletedAssessmentFactory(person=person, acting_user=practitioner)
    plan = DraftPlanFactory(person=person, author=practitioner, lines=_thirty_lines(rng, today))
    client = _signed_in(practitioner)
    client.get(f"/plans/{plan.pk}/")  # warm caches and connections
    setting = f"{LINES} lines, {people:,} people, {REQUESTS} requests, {vendor}"
    for name, path in [
        ("plan_page", f"/plans/{plan.pk}/"),
        ("plan_lines_page", f"/plans/{plan.pk}/support/"),
    ]:
        samples = _time_pages(client, [path] * REQUESTS)
        p50, p95 = _percentiles(samples)
        report(f"{name}_p50", p50, "ms", setting)
        report(f"{name}_p95", p95, "ms", f"{setting}, goal p95 <= 100 ms")

    # This year's reserve with a year's worth of draws, each through the action.
    commissioner = User.objects.filter(role=Role.COMMISSIONER).first()
    approver = User.objects.filter(role=Role.APPROVER).first()
    label, starts_on, ends_on = financial_year(today)
    reserve = budget_actions.open_reserve(
        acting_user=commissioner,
        financial_year_label=label,
        starts_on=starts_on,
        ends_on=ends_on,
        opening_pence=250_000_000,
        source="Bench: envelope × reserve %",
    )
    budgets = list(
        PersonalBudget.objects.filter(status="active")
        .order_by("?")
        .values_list("pk", flat=True)[:DRAWS]
    )
    for pk in budgets:
        budget_actions.draw_reserve(
            PersonalBudget.objects.get(pk=pk),
            kind=ReserveDraw.Kind.PANEL,
            reason="Bench: agreed by the funding panel",
            above_pence=rng.randint(1_000, 20_000),
            override_reason="Bench",
            acting_user=approver,
        )
    client = _signed_in(commissioner)
    client.get("/reserve/")
    pages = max(1, len(budgets) // 50)
    setting = f"{len(budgets):,} draws, {people:,} people, {REQUESTS} requests, {vendor}"
    for name, paths in [
        ("reserve_page", ["/reserve/"] * REQUESTS),
        (
            "reserve_year_page",
            [f"/reserve/{reserve.pk}/?page={rng.randint(1, pages)}" for _ in range(REQUESTS)],
        ),
    ]:
        samples = _time_pages(client, paths)
        p50, p95 = _percentiles(samples)
        report(f"{name}_p50", p50, "ms", setting)
        report(f"{name}_p95", p95, "ms", f"{setting}, goal p95 <= 300 ms")
