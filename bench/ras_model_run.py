"""A RAS model run over the seeded demo council, from the database, end to end: reading every
current eligible person's assessment and budget, scoring, totals against the envelope, the
equality breakdown, the review list, and saving the result."""

import time


def run(args, vendor: str) -> None:
    from django.db.models import Sum

    from accounts.models import User
    from allocation import services
    from allocation.models import ModelRun, RasVersion
    from bench import report
    from budgets.models import PersonalBudget

    version = RasVersion.objects.live_on("person")
    weekly = PersonalBudget.objects.current().aggregate(total=Sum("weekly_amount"))["total"]
    run_ = ModelRun.objects.create(
        version=version,
        envelope=weekly * 52,
        reserve_percent=5,
        review_fall_percent=10,
        created_by=User.objects.get(username="commissioner"),
    )
    started = time.perf_counter()
    services.execute_model_run(run_)
    seconds = time.perf_counter() - started
    run_.refresh_from_db()
    people = run_.result["summary"]["people"]
    report(
        "ras_model_run_db",
        seconds,
        "s",
        f"{people:,} current eligible people read from {vendor}, scored, totalled, broken down by 6 groups, "
        f"{len(run_.review):,} to review; goal <= 15 s",
    )
