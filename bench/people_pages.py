"""The caseload and person pages as a practitioner sees them, with 100,000 people seeded."""

import random
import statistics
import time

REQUESTS = 200


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return p50, p95


def _time_pages(client, urls: list[str]) -> list[float]:
    samples = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return samples


def run(args, vendor: str) -> None:
    """Time the pages in the seeded database (see bench/council.py)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from bench import report
    from people.models import Person

    people = Person.objects.filter(client_type="service_user").count()
    practitioner = User.objects.get(username="practitioner")
    device = TOTPDevice.objects.create(user=practitioner, name="Bench", confirmed=True)
    client = Client()
    client.force_login(practitioner)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    rng = random.Random(1)
    caseload = list(Person.objects.visible_to(practitioner).values_list("pk", "last_name"))
    setting = f"{people:,} people, caseload {len(caseload):,}, {REQUESTS} requests, {vendor}"

    client.get("/people/")  # warm caches and connections
    # A random page anywhere in the caseload: the page after a random person on it.
    unfiltered = _time_pages(
        client, [f"/people/?after={rng.choice(caseload)[0]}" for _ in range(REQUESTS)]
    )
    names = [last_name[:4] for _pk, last_name in rng.sample(caseload, min(REQUESTS, len(caseload)))]
    bands = ["", "65-74", "75-84", "85+"]
    filtered = _time_pages(
        client,
        [f"/people/?name={names[i % len(names)]}&age_band={bands[i % 4]}" for i in range(REQUESTS)],
    )
    person_pages = _time_pages(
        client, [f"/people/{rng.choice(caseload)[0]}/" for _ in range(REQUESTS)]
    )
    for name, samples in [
        ("caseload_unfiltered", unfiltered),
        ("caseload_filtered", filtered),
        ("person_page", person_pages),
    ]:
        p50, p95 = _percentiles(samples)
        report(f"{name}_p50", p50, "ms", setting)
        report(f"{name}_p95", p95, "ms", f"{setting}, goal p95 <= 150 ms")
