"""The team's due and overdue reviews as a practitioner sees them, in the seeded
100,000-person council (bench/council.py), whose reviews come from demo/support.py: the
first page and pages further on (keyset cursors)."""

import datetime as dt
import random

from bench.people_pages import _percentiles, _time_pages
from bench.plans_pages import _signed_in

REQUESTS = 200


def run(args, vendor: str) -> None:
    from django.utils import timezone

    from accounts.models import User
    from bench import report
    from people.models import Person
    from reviews import views
    from reviews.models import Review

    rng = random.Random(13)
    people = Person.objects.count()
    practitioner = User.objects.get(username="practitioner")
    today = timezone.localdate()
    due = Review.objects.due_for_team(
        practitioner.team_id, by=today + dt.timedelta(days=views.DUE_AHEAD_DAYS)
    )
    # Cursors into the list, as the "Next page" links make them.
    keys = list(due.values_list("due_on", "id")[:: views.PAGE_SIZE][1:200])
    cursors = [f"{day.isoformat()}.{pk}" for day, pk in keys] or [""]
    client = _signed_in(practitioner)
    client.get("/reviews/")  # warm caches and connections
    open_reviews = Review.objects.open().count()
    setting = (
        f"{due.count():,} due or overdue for the team, {open_reviews:,} open reviews, "
        f"{people:,} people, {REQUESTS} requests, {vendor}"
    )
    for name, paths in [
        ("due_reviews_page", ["/reviews/"] * REQUESTS),
        (
            "due_reviews_later_page",
            [f"/reviews/?after={rng.choice(cursors)}" for _ in range(REQUESTS)],
        ),
    ]:
        samples = _time_pages(client, paths)
        p50, p95 = _percentiles(samples)
        report(f"{name}_p50", p50, "ms", setting)
        report(f"{name}_p95", p95, "ms", f"{setting}, goal p95 <= 300 ms")
