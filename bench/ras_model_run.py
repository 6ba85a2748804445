"""A RAS model run over the seeded demo council, from the database, end to end: reading every
current eligible person's assessment and budget, scoring, totals against the envelope, the
equality breakdown, the review list, and saving the result."""

import time


def run(args, vendor: str) -> None:
    from decimal import Decimal

    from django.db.models import Sum

    from accounts.models import User
    from allocation import actions, services
    from allocation.models import ModelRun, RasVersion
    from bench import report
    from budgets.models import PersonalBudget
    from core import jobs
    from core.money import WEEKS_PER_YEAR, from_pence

    version = RasVersion.objects.live_on("person")
    weekly = PersonalBudget.objects.current().aggregate(total=Sum("amount_pence"))["total"]
    run_ = actions.start_model_run(
        version,
        acting_user=User.objects.get(username="commissioner"),
        envelope=from_pence(weekly) * WEEKS_PER_YEAR,
        reserve_percent=Decimal("5"),
        review_fall_percent=Decimal("10"),
    )
    started = time.perf_counter()
    jobs.execute(ModelRun, run_.pk, services.execute_model_run)
    seconds = time.perf_counter() - started
    run_.refresh_from_db()
    people = run_.result["summary"]["people"]
    report(
        "ras_model_run_db",
        seconds,
        "s",
        f"{people:,} current eligible people read from {vendor}, scored, totalled, broken down by 6 groups, "
        f"{len(run_.review):,} to review; goal <= 1 s",
    )
