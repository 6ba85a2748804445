"""Cost-rate answers (FACE-style): an answer carries hours, days or nights of a service, priced
at the council's reference rate, added to the points-based amount before the limits."""

import copy
import dataclasses
import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import ApiToken
from accounts.tests.factories import CommissionerFactory
from allocation import actions
from allocation.domain import engine, reference
from allocation.domain import rates as catalogue
from allocation.domain.definition import parse, publication_problems
from allocation.models import ReferenceRate
from allocation.tests.factories import (
    CompletedModelRunFactory,
    DraftVersionFactory,
    saved_on_the_limits_page,
)
from allocation.tests.test_engine import (
    SETTINGS,
    SUPPORT_SERVICES,
    definitions,
    loose_answers,
    unable_sets,
)

SHIPPED = catalogue.SHIPPED  # home care £28.00 an hour, PA £17.00, sleep-in night £120.00

COST_RATE = {
    "format": "selfdirect-ras/2",
    "kind": "person",
    "period": "week",
    "domains": [
        {
            "code": "daily",
            "title": "Daily living",
            "description": "",
            "questions": [
                {
                    "code": "washing",
                    "text": "How much help do you need with washing?",
                    "hint": "",
                    "type": "single",
                    "outcomes": ["hygiene"],
                    "options": [
                        {"code": "none", "label": "None", "hint": "", "points": 0},
                        {
                            "code": "some",
                            "label": "Some",
                            "hint": "",
                            "points": 3,
                            "support": [{"service": "home_care", "units": 7}],
                        },
                        {
                            "code": "lots",
                            "label": "Lots",
                            "hint": "",
                            "points": 5,
                            "support": [
                                {"service": "home_care", "units": 14},
                                {"service": "sleeping_night", "units": 2},
                            ],
                        },
                    ],
                },
                {
                    "code": "meals",
                    "text": "How much help do you need with meals?",
                    "hint": "",
                    "type": "single",
                    "outcomes": ["nutrition"],
                    "options": [
                        {"code": "none", "label": "None", "hint": "", "points": 0},
                        {
                            "code": "all",
                            "label": "All",
                            "hint": "",
                            "points": 5,
                            "support": [{"service": "personal_assistant", "units": 3.5}],
                        },
                    ],
                },
            ],
        },
        {
            "code": "family",
            "title": "Family and friends",
            "description": "",
            "questions": [
                {
                    "code": "carer",
                    "text": "Does someone close to you help?",
                    "hint": "",
                    "type": "informal_support",
                    "options": [
                        {"code": "no", "label": "No", "hint": "", "reduction_percent": 0},
                        {"code": "daily", "label": "Daily", "hint": "", "reduction_percent": 20},
                    ],
                }
            ],
        },
    ],
    "informal_support": {"method": "whole_scheme", "cap_percent": 25},
    "money_tables": [
        {
            "code": "everyone",
            "title": "Everyone",
            "method": "price_per_point",
            "fixed_amount": "10.00",
            "price_per_point": "2.50",
        }
    ],
    "limits": {"minimum": None, "maximum": "700.00"},
}
LOTS = {"washing": "lots", "meals": "all", "carer": "daily"}
SOME = {"washing": "some", "meals": "none", "carer": "no"}


def _scheme(rates=SHIPPED):
    return engine.compile_scheme(parse(COST_RATE), rates=rates)


def test_the_cost_rate_example_is_valid_and_publishable():
    assert publication_problems(parse(COST_RATE)) == []
    assert parse(COST_RATE).services == ("home_care", "personal_assistant", "sleeping_night")


def test_editing_a_cost_rate_version_on_the_pages_keeps_its_hours(client_for):
    """The editor saves the whole selfdirect-ras/2 definition: a page that does not show
    this part (here the period and limits page) keeps it when it saves."""
    commissioner = CommissionerFactory()
    definition = parse(COST_RATE)
    draft = saved_on_the_limits_page(
        client_for(commissioner), commissioner, definition, maximum="9999.00"
    )
    assert draft.parsed == dataclasses.replace(definition, maximum=Decimal("9999.00"))


def test_an_answer_with_hours_of_support_adds_their_cost_at_the_reference_rate():
    # 3 points: £10.00 fixed + 3 × £2.50 = £17.50; 7 hours of home care × £28.00 = £196.00;
    # £17.50 + £196.00 = £213.50.
    explanation = engine.explain(_scheme(), SOME)
    assert explanation.amount == Decimal("213.50")
    assert explanation.support_amount == Decimal("196.00")
    assert explanation.limit is None
    support = [line for line in explanation.lines if line.kind == "support"]
    assert [(s.service, s.units, s.rate, s.amount) for s in support] == [
        ("home_care", Decimal(7), Decimal("28.00"), Decimal("196.00"))
    ]
    assert "home care: 7 hours a week" in support[0].text
    assert "£28.00 an hour" in support[0].text and "£196.00" in support[0].text
    assert sum(line.amount for line in explanation.lines if line.amount) == explanation.amount


def test_the_maximum_applies_to_the_points_and_the_support_together():
    # 10 points less 20% from family support (2 points) = 8: £10.00 + 8 × £2.50 = £30.00.
    # Support: 14 h home care × £28.00 = £392.00; 2 sleep-in nights × £120.00 = £240.00;
    # 3.5 h personal assistant × £17.00 = £59.50; so £691.50. £30.00 + £691.50 = £721.50,
    # above the £700.00 maximum: the amount is £700.00, £21.50 less.
    explanation = engine.explain(_scheme(), LOTS)
    assert explanation.total_points == 8
    assert explanation.support_amount == Decimal("691.50")
    assert explanation.exact_amount == Decimal("721.50")
    assert (explanation.amount, explanation.limit) == (Decimal("700.00"), "maximum")
    assert explanation.at_maximum
    limit = [line for line in explanation.lines if line.kind == "limit"]
    assert limit[0].amount == Decimal("-21.50")
    assert sum(line.amount for line in explanation.lines if line.amount) == explanation.amount
    hours = {(s.service, s.amount) for s in explanation.lines if s.kind == "support"}
    assert hours == {
        ("home_care", Decimal("392.00")),
        ("sleeping_night", Decimal("240.00")),
        ("personal_assistant", Decimal("59.50")),
    }


def test_hours_for_a_need_the_decision_found_not_eligible_do_not_count():
    # Only hygiene is unmet: meals' 5 points and 3.5 PA hours do not count. 5 points less
    # 20% (1 point) = 4: £10.00 + £10.00 = £20.00; £392.00 + £240.00 = £632.00; £652.00.
    explanation = engine.explain(_scheme(), LOTS, unable_outcomes=frozenset({"hygiene"}))
    assert explanation.amount == Decimal("652.00")
    assert explanation.support_amount == Decimal("632.00")
    not_counted = [line for line in explanation.lines if line.service == "personal_assistant"]
    assert not_counted[0].kind == "not_eligible_need" and not_counted[0].amount == 0


def test_the_engine_prices_a_caseload_as_the_explanation_does():
    scheme = _scheme()
    people = [LOTS, SOME, {"washing": "some", "meals": "all", "carer": "daily"}]
    choices, _missing = engine.encode_many(scheme, people)
    scores = engine.score(scheme, choices)
    assert scores.support_pence.tolist() == [69150, 19600, 19600 + 5950]
    pence = engine.amounts_pence(scheme, scores.net, support_pence=scores.support_pence)
    assert pence.tolist() == [
        int(engine.explain(scheme, answers).amount * 100) for answers in people
    ]
    with pytest.raises(ValueError, match="support in pence"):
        engine.amounts_pence(scheme, scores.net)


def test_a_version_with_no_rate_for_a_service_it_prices_refuses_to_score():
    scheme = _scheme({"home_care": 2800})
    with pytest.raises(engine.AnswerError) as caught:
        engine.explain(scheme, SOME)
    assert caught.value.problems[0]["type"] == "no_reference_rate"
    assert "personal assistant" in caught.value.problems[0]["message"]
    choices, _ = engine.encode_many(scheme, [SOME])
    with pytest.raises(engine.MissingRates, match="sleep-in night"):
        engine.score(scheme, choices)


def test_a_version_without_hours_spends_nothing_on_them():
    data = copy.deepcopy(COST_RATE)
    for question in data["domains"][0]["questions"]:
        for option in question["options"]:
            option.pop("support", None)
    scheme = engine.compile_scheme(parse(data))
    assert not scheme.has_support and scheme.need_pence == ()
    choices, _ = engine.encode_many(scheme, [LOTS])
    assert engine.score(scheme, choices).support_pence is None
    assert engine.explain(scheme, LOTS).support_amount is None


rates_strategy = st.fixed_dictionaries(
    {service: st.integers(1, 300_000) for service in SUPPORT_SERVICES}
)


@SETTINGS
@given(data=st.data())
def test_the_engine_matches_the_reference_with_cost_rate_answers(data):
    definition = data.draw(definitions(support=True))
    rates = data.draw(rates_strategy)
    scheme = engine.compile_scheme(definition, rates=rates)
    people = data.draw(st.lists(loose_answers(definition), min_size=1, max_size=20))
    decisions = [data.draw(unable_sets()) for _ in people]
    masks = None
    if data.draw(st.booleans()):
        masks = engine.unable_masks(scheme, [d or () for d in decisions])
        decisions = [frozenset(d or ()) for d in decisions]
    else:
        decisions = [None] * len(people)
    choices, _missing = engine.encode_many(scheme, people)
    scores = engine.score(scheme, choices, unable_masks=masks)
    support = scores.support_pence if scores.support_pence is not None else np.zeros(len(people))
    pence = engine.amounts_pence(scheme, scores.net, support_pence=scores.support_pence)
    for i, answers in enumerate(people):
        net = reference.score_one(definition, answers, decisions[i])[3]
        expected_support = reference.support_pence_one(definition, answers, rates, decisions[i])
        assert (scores.net[i], support[i]) == (net, expected_support)
        assert pence[i] == reference.amount_one(definition, net, None, expected_support)


@SETTINGS
@given(data=st.data())
def test_the_explanation_gives_the_reference_amount_with_cost_rate_answers(data):
    definition = data.draw(definitions(support=True, max_questions=6))
    rates = data.draw(rates_strategy)
    scheme = engine.compile_scheme(definition, rates=rates)
    answers = {
        q.code: data.draw(st.sampled_from([o.code for o in q.options]))
        for q in definition.questions
    }
    if engine.contradictions(scheme, answers):
        return
    explanation = engine.explain(scheme, answers)
    net = reference.score_one(definition, answers)[3]
    support = reference.support_pence_one(definition, answers, rates)
    assert int(explanation.amount * 100) == reference.amount_one(definition, net, None, support)
    assert sum(line.amount for line in explanation.lines if line.amount) == explanation.amount


# --- the API and model runs ---------------------------------------------------------------


@pytest.fixture
def commissioner_auth(db):
    _token, raw = ApiToken.issue(CommissionerFactory(), "Tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_the_score_api_shows_the_hours_rates_and_their_money(client, commissioner_auth):
    draft = DraftVersionFactory(definition=COST_RATE)
    response = client.post(
        f"/api/v1/ras/versions/{draft.pk}/score",
        {"answers": LOTS},
        content_type="application/json",
        **commissioner_auth,
    )
    assert response.status_code == 200
    body = response.json()
    # As worked above: £30.00 + £691.50 = £721.50, held to the £700.00 maximum.
    assert (body["amount"], body["support_amount"], body["limit"]) == (
        "700.00",
        "691.50",
        "maximum",
    )
    support = [line for line in body["lines"] if line["kind"] == "support"]
    assert [(s["service"], s["units"], s["rate"], s["amount"]) for s in support] == [
        ("home_care", "14", "28.00", "392.00"),
        ("sleeping_night", "2", "120.00", "240.00"),
        ("personal_assistant", "3.5", "17.00", "59.50"),
    ]
    assert sum(Decimal(line["amount"]) for line in body["lines"] if line["amount"]) == Decimal(
        "700.00"
    )


@pytest.mark.django_db
def test_the_score_api_prices_at_the_rate_in_force_and_refuses_without_one(
    client, commissioner_auth
):
    commissioner = CommissionerFactory()
    draft = DraftVersionFactory(definition=COST_RATE)
    today = timezone.localdate()
    actions.add_reference_rate(
        "home_care", acting_user=commissioner, rate_pence=3000, effective_from=today
    )
    url = f"/api/v1/ras/versions/{draft.pk}/score"
    body = client.post(
        url, {"answers": SOME}, content_type="application/json", **commissioner_auth
    ).json()
    # 7 hours × £30.00 = £210.00, + £17.50 for the 3 points.
    assert (body["support_amount"], body["amount"]) == ("210.00", "227.50")
    night = ReferenceRate.objects.get(service="sleeping_night", effective_to__isnull=True)
    actions.end_reference_rate(
        night,
        acting_user=commissioner,
        end_date=max(night.effective_from, today - dt.timedelta(days=1)),
    )
    if night.effective_from == today:  # pragma: no cover - rates start on 1 April 2026
        pytest.skip("The shipped rate starts today")
    response = client.post(
        url, {"answers": SOME}, content_type="application/json", **commissioner_auth
    )
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["type"] == "no_reference_rate" and "sleep-in night" in problem["message"]


@pytest.mark.django_db
def test_a_model_run_of_a_cost_rate_version_completes():
    draft = DraftVersionFactory(definition=COST_RATE)
    run = CompletedModelRunFactory(version=draft)
    assert run.status == "done", run.error


@pytest.mark.django_db
def test_a_cost_rate_version_is_published_only_with_a_rate_for_every_service_it_prices():
    from allocation.rules import publication_problems as problems

    commissioner = CommissionerFactory()
    draft = DraftVersionFactory(definition=COST_RATE)
    later = dt.date(2030, 4, 1)
    assert "RAS-NO-REFERENCE-RATE" not in {p.code for p in problems(draft, later)}
    night = ReferenceRate.objects.get(service="sleeping_night", effective_to__isnull=True)
    actions.end_reference_rate(night, acting_user=commissioner, end_date=dt.date(2030, 3, 31))
    refused = [p for p in problems(draft, later) if p.code == "RAS-NO-REFERENCE-RATE"]
    assert refused and "sleep-in night" in refused[0].message
    assert "1 April 2030" in refused[0].message


def test_the_budget_page_shows_each_cost_rate_line_in_words_for_every_reader():
    from types import SimpleNamespace

    from allocation.domain.explanation import line_json
    from budgets.explained import _ras_lines

    explanation = engine.explain(_scheme(), LOTS)
    stored = SimpleNamespace(lines=[line_json(line) for line in explanation.lines])
    for audience in ("person", "staff"):
        shown = [line for line in _ras_lines(stored, audience) if line.kind == "support"]
        assert [(line.detail, line.amount_pence) for line in shown] == [
            ("Lots: home care, 14 hours at £28.00 an hour", 39200),
            ("Lots: sleep-in night, 2 nights at £120.00 a night", 24000),
            ("All: personal assistant, 3.5 hours at £17.00 an hour", 5950),
        ]


@pytest.mark.django_db
def test_calibration_refuses_a_cost_rate_version():
    from django.core.management import CommandError, call_command

    draft = DraftVersionFactory(definition=COST_RATE)
    with pytest.raises(CommandError, match="reference rates"):
        call_command(
            "ras_calibrate",
            "--from-database",
            "--method=ols",
            "--envelope=1000000",
            "--reserve=5",
            f"--version={draft.pk}",
        )
