"""Model runs and calibration runs through the background worker, their pages and downloads."""

import csv
import datetime
import io
import random
import re
from decimal import Decimal

import pytest

from accounts.models import AccessEvent
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation import services
from allocation.domain import engine, reference
from allocation.models import CalibrationRun, ModelRun, RasVersion
from allocation.tests.factories import random_answers
from assessment.tests.factories import eligible_caseload
from core.jobs import reap

pytestmark = pytest.mark.django_db

# Every protected characteristic the record holds (Equality Act 2010 s4: age, disability,
# gender reassignment, marriage and civil partnership, pregnancy and maternity, race,
# religion or belief, sex, sexual orientation), and the circumstances a RAS can treat
# differently: support reason, client type, conditions, unpaid carer and locality.
EVERY_GROUP = [
    "Primary support reason",
    "Client type",
    "Age band",
    "Sex",
    "Gender identity (gender reassignment)",
    "Ethnic group",
    "Religion or belief",
    "Sexual orientation",
    "Marriage or civil partnership",
    "Pregnancy and maternity",
    "Dementia",
    "Autism",
    "Visual impairment",
    "Hearing impairment",
    "Unpaid carer",
    "Locality (postcode district)",
    "Client group",
]


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER)


@pytest.fixture
def live():
    return RasVersion.objects.live_on("person")


UNABLE = frozenset({"hygiene", "toilet"})  # what CompletedAssessmentFactory decides


@pytest.fixture
def caseload(team, practitioner, live):
    rng = random.Random(4)
    answers = [random_answers(live, rng) for _ in range(40)]
    scheme = live.compiled
    costs = []
    for a in answers:
        # Current packages: the live amount plus noise, so some gain and some lose.
        amount = engine.explain(scheme, a, unable_outcomes=UNABLE).amount
        costs.append((amount * Decimal(rng.uniform(0.7, 1.3))).quantize(Decimal("0.01")))
    people = eligible_caseload(team, answers, costs=costs, user=practitioner)
    return people, answers, costs


def start_model(client, version, **fields):
    data = {"envelope": "900000", "reserve_percent": "5", "review_fall_percent": "10", **fields}
    return client.post(f"/ras/versions/{version.pk}/model/", data)


def test_a_model_run_goes_through_the_worker_with_progress(
    client_for, commissioner, caseload, live, run_tasks, django_capture_on_commit_callbacks
):
    client = client_for(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = start_model(client, live)
    run = ModelRun.objects.get()
    assert response.headers["Location"] == f"/ras/model-runs/{run.pk}/"
    waiting = client.get(f"/ras/model-runs/{run.pk}/").content.decode()
    assert "Waiting for a worker" in waiting and "<progress" in waiting
    fragment = client.get(f"/ras/model/{run.pk}/progress/")
    assert (
        "HX-Refresh" not in fragment.headers
        and 'hx-trigger="every 1s"' in fragment.content.decode()
    )
    run_tasks()
    run.refresh_from_db()
    assert run.status == "done", run.error
    assert client.get(f"/ras/model/{run.pk}/progress/").headers["HX-Refresh"] == "true"
    summary = run.result["summary"]
    people, answers, costs = caseload
    assert summary["people"] == len(people)
    # Only eligible needs count: the answers linked to the outcomes found unmet.
    expected = (
        sum(engine.explain(live.compiled, a, unable_outcomes=UNABLE).amount for a in answers) * 52
    )
    assert Decimal(summary["proposed_issued_annual_total"]) == expected
    assert Decimal(summary["current_annual_total"]) == sum(costs) * 52
    overall = run.result["overall"]
    assert overall["gainers"] + overall["losers"] + overall["unchanged"] == len(people)
    assert [name for name, _rows in services.ordered_groups(run.result)] == EVERY_GROUP
    page = client.get(f"/ras/model-runs/{run.pk}/").content.decode()
    assert "Equality impact" in page and "<svg" in page
    # The people the scheme sends to a costed plan are counted on the page.
    routed = sum(
        bool(engine.explain(live.compiled, a, unable_outcomes=UNABLE).costed_plan_route)
        for a in answers
    )
    assert summary["people_costed_plan"] == routed
    assert f"{routed} {'person' if routed == 1 else 'people'} whose answers describe" in page
    for group in EVERY_GROUP:
        assert f"By {group.lower()}" in page


def test_the_review_list_and_downloads(
    client_for, commissioner, caseload, live, run_tasks, django_capture_on_commit_callbacks
):
    client = client_for(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        start_model(client, live, review_fall_percent="5")
    run_tasks()
    run = ModelRun.objects.get()
    assert run.review, "noise of ±30% leaves some people falling by more than 5%"
    falls = [row["change_percent"] for row in run.review]
    assert all(f < -5 for f in falls) and falls == sorted(falls)
    breakdown = client.get(f"/ras/model-runs/{run.pk}/?download=breakdown")
    rows = list(csv.reader(io.StringIO(breakdown.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Group" and any(r[0] == "Dementia" for r in rows[1:])
    review = client.get(f"/ras/model-runs/{run.pk}/?download=review").content.decode()
    assert run.review[0]["ref"] in review
    # Naming people, even by ID, is a read of their records: logged.
    assert AccessEvent.objects.filter(
        user=commissioner, reason__contains="review list"
    ).count() == len(run.review)
    assert (
        client.get(f"/ras/model-runs/{run.pk}/?download=chart")["Content-Type"] == "image/svg+xml"
    )


def test_each_person_to_review_shows_their_budget_the_new_amount_and_the_change(
    client_for, commissioner, caseload, live, run_tasks, django_capture_on_commit_callbacks
):
    people, answers, costs = caseload
    client = client_for(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        start_model(client, live, review_fall_percent="5")
    run_tasks()
    run = ModelRun.objects.get()
    assert run.review
    stored = run.review_columns
    assert set(stored) == {"person_id", "ref", "team", "teams", "current_pence", "proposed_pence"}
    assert len(stored["person_id"].split(",")) == len(stored["ref"]) == len(run.review)
    index = {person.pk: i for i, person in enumerate(people)}
    for row in run.review:
        i = index[row["person_id"]]
        now = costs[i]
        then = engine.explain(live.compiled, answers[i], unable_outcomes=UNABLE).amount
        assert row["ref"] == people[i].council_person_id
        assert row["team"] == people[i].team.name
        assert (Decimal(row["current"]), Decimal(row["proposed"])) == (now, then)
        assert row["change_percent"] == round(float((then - now) * 100 / now), 1)
    assert run.review[-1] == list(run.review)[-1] and run.review[:2] == list(run.review)[:2]
    # A run stored before the review list was kept by column reads as it did.
    rows = list(run.review)
    ModelRun.objects.filter(pk=run.pk).update(review_columns=rows)
    run.refresh_from_db()
    assert run.review == rows
    page = client.get(f"/ras/model-runs/{run.pk}/?show=review").content.decode()
    assert rows[0]["ref"] in page and f"{len(rows)} people’s budgets would fall" in page


def test_a_model_run_is_idempotent_and_a_dead_one_is_requeued(
    client_for, commissioner, caseload, live, run_tasks, django_capture_on_commit_callbacks
):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        start_model(client_for(commissioner), live)
    run = ModelRun.objects.get()
    task = DBTaskResult.objects.get()
    # A worker claimed it and died: RUNNING, no heartbeat for an hour.
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    DBTaskResult.objects.filter(pk=task.pk).update(status="RUNNING", started_at=long_ago)
    ModelRun.objects.filter(pk=run.pk).update(status="running", heartbeat_at=long_ago)
    assert reap(timezone.timedelta(minutes=10)) == 1
    assert DBTaskResult.objects.get().status == "READY"
    run_tasks()
    run.refresh_from_db()
    assert run.status == "done"
    first = run.result
    # Running the same task again changes nothing.
    from allocation.tasks import model_run

    assert model_run.call(run.pk) == "already finished"
    run.refresh_from_db()
    assert run.result == first


def test_a_running_task_that_still_beats_is_left_alone(commissioner, live):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from allocation.tasks import model_run

    run = ModelRun.objects.create(
        version=live, envelope_pence=100, reserve_percent=0, created_by=commissioner
    )
    result = model_run.enqueue(run.pk)
    ModelRun.objects.filter(pk=run.pk).update(
        task_id=str(result.id), status="running", heartbeat_at=timezone.now()
    )
    DBTaskResult.objects.update(
        status="RUNNING", started_at=timezone.now() - timezone.timedelta(hours=2)
    )
    assert reap(timezone.timedelta(minutes=10)) == 0


def test_calibration_from_the_database_hits_the_target_and_saves_a_draft(
    client_for, commissioner, caseload, live, run_tasks, django_capture_on_commit_callbacks
):
    client = client_for(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ras/versions/{live.pk}/calibrate/",
            {
                "source": "database",
                "method": "ols",
                "band_count": "10",
                "envelope": "£1,000,000",
                "reserve_percent": "5",
            },
        )
    run = CalibrationRun.objects.get()
    assert response.headers["Location"] == f"/ras/calibrations/{run.pk}/"
    run_tasks()
    run.refresh_from_db()
    assert run.status == "done", run.error
    assert run.result["modelled_annual_total"] == run.result["target"] == "950000.00"
    assert run.draft.status == "draft" and run.draft.origin == "calibrated"
    table = run.draft.definition["money_tables"][0]
    assert {k: v for k, v in table.items() if k not in ("code", "title")} == run.result["scaled"]
    page = client.get(f"/ras/calibrations/{run.pk}/").content.decode()
    assert "R²" in page and "<svg" in page and "Residuals by primary support reason" in page
    # The points-to-money subtotal: the parts add up to the modelled total to the penny.
    parts = run.result["subtotals"]
    assert [p["label"] for p in parts] == [
        "Fixed amounts",
        "Points to money",
        "Minimum and maximum",
    ]
    assert sum(Decimal(p["amount"]) for p in parts) == Decimal("950000.00")
    assert "How the modelled annual total is made up" in page and "£950,000.00" in page
    # A price per point is shown to 4 decimal places, the exact value a click away.
    price = Decimal(run.result["scaled"]["price_per_point"])
    assert f"£{price:,.4f}</td>" in page
    if -price.normalize().as_tuple().exponent > 4:
        assert f"£{run.result['scaled']['price_per_point']}</span> a point exactly" in page
    assert 'tabindex="0" role="region"' in page


def _sample_csv(version, rows):
    codes = [q.code for q in version.parsed.questions]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*codes, "weekly_cost"])
    for answers, cost in rows:
        writer.writerow([answers[c] for c in codes] + [cost])
    return out.getvalue()


def test_calibration_from_a_csv(
    client_for, commissioner, caseload, live, run_tasks, django_capture_on_commit_callbacks
):
    rng = random.Random(9)
    rows = []
    for i in range(60):
        answers = random_answers(live, rng, complex_answers=i % 5 == 0)
        cost = engine.explain(live.compiled, answers).amount * Decimal(rng.uniform(0.7, 1.3))
        rows.append((answers, f"{cost:.2f}"))
    costed = sum(bool(reference.costed_plan_route_one(live.parsed, a)) for a, _c in rows)
    text = _sample_csv(live, rows)
    upload = io.BytesIO(text.encode())
    upload.name = "packages.csv"
    with django_capture_on_commit_callbacks(execute=True):
        client_for(commissioner).post(
            f"/ras/versions/{live.pk}/calibrate/",
            {
                "source": "csv",
                "file": upload,
                "method": "lad",
                "band_count": "10",
                "envelope": "800000",
                "reserve_percent": "2.5",
            },
        )
    run_tasks()
    run = CalibrationRun.objects.get()
    assert run.status == "done", run.error
    # Packages on the costed-plan route are left out of the fit (their plan prices them).
    assert run.result["costed_plan_left_out"] == costed > 0
    assert run.result["sample_size"] == 60 - costed
    assert run.result["modelled_annual_total"] == "780000.00"


def test_a_bad_csv_lists_every_bad_line_and_nothing_runs(client_for, commissioner, live):
    rng = random.Random(2)
    good = random_answers(live, rng)
    text = _sample_csv(
        live, [(good, "250.00"), ({**good, "pc_washing": "sometimes"}, "300"), (good, "lots")]
    )
    upload = io.BytesIO(text.encode())
    upload.name = "packages.csv"
    body = (
        client_for(commissioner)
        .post(
            f"/ras/versions/{live.pk}/calibrate/",
            {
                "source": "csv",
                "file": upload,
                "method": "ols",
                "band_count": "10",
                "envelope": "800000",
                "reserve_percent": "5",
            },
        )
        .content.decode()
    )
    assert "Line 3: ‘sometimes’ is not an answer to pc_washing" in body
    assert "Line 4: the cost ‘lots’ must be an amount" in body
    assert not CalibrationRun.objects.exists()


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.FINANCE, Role.PERSON])
def test_only_commissioners_see_runs(client_for, commissioner, live, role):
    run = ModelRun.objects.create(
        version=live, envelope_pence=100, reserve_percent=0, created_by=commissioner
    )
    client = client_for(UserFactory(role=role))
    assert client.get(f"/ras/model-runs/{run.pk}/").status_code == 404
    assert client.get(f"/ras/model/{run.pk}/progress/").status_code == 404


# --- the equality impact: small groups, flags, justifications and the draft EIA -----------------


@pytest.fixture
def uneven_caseload(team, practitioner, live):
    """14 women whose budgets stay as the RAS says, 12 men paid double now (they would lose
    half), and 3 people of unknown sex: a difference the run must flag."""
    rng = random.Random(9)
    scheme = live.compiled
    people = []
    for sex, count, factor in (("female", 14, 1), ("male", 12, 2), ("not_known", 3, 1)):
        answers = [random_answers(live, rng) for _ in range(count)]
        costs = [engine.explain(scheme, a).amount * factor for a in answers]
        people += eligible_caseload(
            team,
            answers,
            costs=costs,
            user=practitioner,
            sex=sex,
            religion="christian" if sex == "female" else "no_religion",
            postcode="WX1 4DQ" if sex == "male" else "WX12 1AB",
        )
    return people


def _run(client, live, run_tasks, capture, **fields):
    with capture(execute=True):
        start_model(client, live, **fields)
    run_tasks()
    run = ModelRun.objects.get()
    assert run.status == "done", run.error
    return run


def test_small_groups_show_as_fewer_than_10_with_no_figures_on_the_page_and_in_downloads(
    client_for, commissioner, uneven_caseload, live, run_tasks, django_capture_on_commit_callbacks
):
    client = client_for(commissioner)
    run = _run(client, live, run_tasks, django_capture_on_commit_callbacks)
    sex = {row["label"]: row for row in run.result["groups"]["Sex"]}
    # 3 people of unknown sex: hidden; the men (the next smallest) hidden too, or the 3 could
    # be worked out as everyone less the women and the men.
    assert sex["Unknown"] == {"label": "Unknown", "suppressed": True, "small": True}
    assert sex["Male"] == {"label": "Male", "suppressed": True, "small": False}
    assert sex["Female"]["people"] == 14
    page = client.get(f"/ras/model-runs/{run.pk}/").content.decode()
    assert "Fewer than 10 people: figures not shown" in page
    assert "so that a group of fewer than 10 cannot be worked out" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/ras/model-runs/{run.pk}/?download=breakdown").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    unknown = next(r for r in rows if r[:2] == ["Sex", "Unknown"])
    assert unknown[2] == "fewer than 10" and set(unknown[3:]) == {""}


def test_a_group_changing_differently_is_flagged_and_needs_a_justification_before_publishing(
    client_for, commissioner, uneven_caseload, live, run_tasks, django_capture_on_commit_callbacks
):
    from allocation import actions, rules
    from allocation.tests.factories import DraftVersionFactory

    colleague = UserFactory(role=Role.COMMISSIONER)
    draft = DraftVersionFactory(acting_user=commissioner)
    client = client_for(commissioner)
    run = _run(
        client, draft, run_tasks, django_capture_on_commit_callbacks, flag_margin_percent="5"
    )
    # Men's budgets halve; the others' stay: by religion (women Christian, men none) and by
    # locality (men in WX1) the run sees the same split, and flags both sides.
    flagged = {(f["group"], f["label"]) for f in run.flags}
    assert {
        ("Religion or belief", "No religion"),
        ("Religion or belief", "Christian (all denominations)"),
    } <= flagged
    assert ("Locality (postcode district)", "WX1") in flagged
    assert ("Sex", "Male") not in flagged  # hidden groups are never flagged
    page = client.get(f"/ras/model-runs/{run.pk}/").content.decode()
    assert "Not yet justified" in page and "still need" in page
    assert "RAS-UNJUSTIFIED-GROUP" in [
        p.code for p in rules.publication_problems(draft, publisher=colleague)
    ]

    index = next(i for i, f in enumerate(run.flags) if f["label"] == "No religion")
    url = f"/ras/model-runs/{run.pk}/flags/{index}/"
    form = client.get(url).content.decode()
    assert "section 19" in form and "Change in the group’s total" in form
    assert (
        "Enter why the difference is justified"
        in client.post(url, {"justification": ""}).content.decode()
    )
    reason = "Their old packages paid for night care the new scheme prices as a separate service."
    assert client.post(url, {"justification": reason}).status_code == 302
    for i, _flag in enumerate(run.flags):
        if i != index:
            client.post(
                f"/ras/model-runs/{run.pk}/flags/{i}/", {"justification": reason + " Same."}
            )
    assert (
        client.post(
            f"/ras/model-runs/{run.pk}/assessment/", {"text": "Men lose most; reviews are booked."}
        ).status_code
        == 302
    )
    page = client.get(f"/ras/model-runs/{run.pk}/").content.decode()
    assert "Not yet justified" not in page and "Men lose most; reviews are booked." in page
    assert rules.publication_problems(draft, publisher=colleague) == [
        p
        for p in rules.publication_problems(draft, publisher=colleague)
        if p.code == "RAS-NO-START-DATE"
    ]

    # The draft EIA: the figures, the justifications and the assessment, calling itself a draft.
    impact = client.get(f"/ras/model-runs/{run.pk}/equality-impact/").content.decode()
    assert "Draft equality impact assessment" in impact
    assert "It is not the equality impact assessment itself" in impact
    assert reason in impact and "Men lose most; reviews are booked." in impact
    assert "Religion or belief (section 10)" in impact
    download = client.get(f"/ras/model-runs/{run.pk}/equality-impact/?download=html")
    assert download["Content-Disposition"].startswith("attachment;")
    assert reason in download.content.decode() and "<style>" in download.content.decode()
    actions.publish_version(draft, datetime.date(2027, 4, 1), acting_user=colleague)


def test_every_negative_money_or_percentage_on_the_page_has_a_real_minus_sign(
    client_for, commissioner, uneven_caseload, live, run_tasks, django_capture_on_commit_callbacks
):
    client = client_for(commissioner)
    run = _run(client, live, run_tasks, django_capture_on_commit_callbacks)
    page = client.get(f"/ras/model-runs/{run.pk}/?show=review").content.decode()
    main = page[page.index("<main") :]
    assert "−£" in main and re.search(r"−\d[\d,]*(\.\d)?%", main)
    # No hyphen-minus before a pound sign or a number with a % sign in the text people read.
    text = re.sub(r"<[^>]+>", " ", main)
    assert not re.search(r"-£|(?<![\w–-])-\d[\d,.]*%", text)
    # Tables that cannot reflow scroll in a box keyboard users can reach (WCAG 1.4.10, 2.1.1).
    assert main.count('class="app-scroll-region" tabindex="0" role="region" aria-label=') >= 19
