"""Caps on a domain's points (issue 10): a domain adds up to at most its cap, the needs that
support from family and friends never reduces keep their points first, and the explanation
says where a cap applied. Worked by hand here; the property tests in test_engine.py draw
capped schemes too (engine == plain reference, lines add up, more need never less money)."""

import json
from decimal import Decimal

import pytest

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.domain import definition as ras
from allocation.domain import engine, reference
from allocation.models import RasScheme, RasVersion


def _q(code, text, points, **extra):
    return {
        "code": code,
        "text": text,
        "type": "single",
        "options": [
            {"code": label.lower(), "label": label, "points": value}
            for label, value in points.items()
        ],
        **extra,
    }


def capped_scheme() -> dict:
    """Daily living capped at 10 points, keeping safe at 5; each point £3.00 plus a fixed
    £10.00 a week; family support takes off up to 50% of the needs it may reduce."""
    return {
        "format": "selfdirect-ras/2",
        "kind": "person",
        "period": "week",
        "domains": [
            {
                "code": "daily",
                "title": "Daily living",
                "cap": 10,
                "questions": [
                    _q("washing", "Help with washing?", {"None": 0, "Some": 4, "Lots": 8}),
                    _q("meals", "Help with meals?", {"None": 0, "All": 6}),
                ],
            },
            {
                "code": "safety",
                "title": "Keeping safe",
                "cap": 5,
                "questions": [
                    _q(
                        "risk",
                        "Risk to yourself?",
                        {"None": 0, "Some": 3, "High": 7},
                        reducible=False,
                    ),
                    _q("night", "Help at night?", {"No": 0, "Yes": 4}),
                ],
            },
            {
                "code": "support",
                "title": "Support",
                "questions": [
                    {
                        "code": "family",
                        "text": "Does family help?",
                        "type": "informal_support",
                        "options": [
                            {"code": "no", "label": "No", "reduction_percent": 0},
                            {"code": "daily", "label": "Daily", "reduction_percent": 25},
                        ],
                    }
                ],
            },
        ],
        "informal_support": {"method": "whole_scheme", "cap_percent": 50},
        "money_tables": [
            {
                "code": "everyone",
                "title": "Everyone",
                "method": "price_per_point",
                "fixed_amount": "10.00",
                "price_per_point": "3.00",
            }
        ],
        "limits": {"minimum": None, "maximum": None},
    }


WORKED = {"washing": "lots", "meals": "all", "risk": "high", "night": "yes", "family": "daily"}


def test_a_domain_cap_is_read_and_written_again():
    parsed = ras.parse(capped_scheme())
    assert [d.cap for d in parsed.domains] == [10, 5, None]
    assert ras.parse(ras.to_dict(parsed)) == parsed
    assert ras.to_dict(parsed)["domains"][0]["cap"] == 10


def test_worked_example_two_caps_bite_and_the_needs_never_reduced_keep_their_points_first():
    # Daily living: washing 8 + meals 6 = 14, capped at 10 (4 points not counted).
    # Keeping safe: risk 7 (never reduced) + night 4 = 11, capped at 5: the risk keeps its
    # points first, min(7, 5) = 5, so night keeps min(4, 5 - 5) = 0 (6 points not counted).
    # Need 10 + 5 = 15; family may reduce 10 + 0 = 10 of them; 25% of 10 = 2.5 -> 2 off.
    # Net 13 points: £10.00 + 13 x £3.00 = £49.00 a week.
    # (Without the caps: need 25, 25% of 18 = 4.5 -> 4 off, net 21, £73.00.)
    definition = ras.parse(capped_scheme())
    scheme = engine.compile_scheme(definition)
    assert scheme.max_net_points == 15
    result = engine.explain(scheme, WORKED)
    assert (result.need_points, result.reduction_points, result.total_points) == (15, 2, 13)
    assert result.amount == Decimal("49.00")
    assert [(line.kind, line.points, line.amount) for line in result.lines] == [
        ("answer", 8, Decimal("24.00")),
        ("answer", 6, Decimal("18.00")),
        ("domain_cap", -4, Decimal("-12.00")),
        ("answer", 7, Decimal("21.00")),
        ("answer", 4, Decimal("12.00")),
        ("domain_cap", -6, Decimal("-18.00")),
        ("informal_support", -2, Decimal("-6.00")),
        ("fixed_amount", None, Decimal("10.00")),
    ]
    cap_line = result.lines[2]
    assert cap_line.domain_title == "Daily living"
    assert cap_line.text == (
        "Your answers about daily living add up to 14 points, but this RAS counts at most "
        "10 points for daily living, so 4 points are not counted, taking off £12.00."
    )
    assert reference.score_one(definition, WORKED) == (15, 25, 2, 13)
    assert reference.amount_one(definition, 13) == 4900
    choices, _ = engine.encode_many(scheme, [WORKED])
    scores = engine.score(scheme, choices)
    assert (int(scores.need[0]), int(scores.reduction[0]), int(scores.net[0])) == (15, 2, 13)
    assert int(engine.amounts_pence(scheme, scores.net)[0]) == 4900


def test_a_cap_that_does_not_bite_changes_nothing_and_is_not_shown():
    # washing some (4) + meals none: 4 <= 10; risk some (3) + night none: 3 <= 5.
    # Need 7; family "no"; net 7: £10.00 + 7 x £3.00 = £31.00.
    definition = ras.parse(capped_scheme())
    answers = {"washing": "some", "meals": "none", "risk": "some", "night": "no", "family": "no"}
    result = engine.explain(engine.compile_scheme(definition), answers)
    assert result.amount == Decimal("31.00")
    assert all(line.kind != "domain_cap" for line in result.lines)


def test_a_cap_applies_to_eligible_needs_only():
    # The decision found no outcome unmet. The daily-living questions name no outcome, so
    # they always count: washing 8 + meals 6, capped at 10. Risk and night are linked to
    # using the home safely, found met: they count for nothing, so no cap line there.
    data = capped_scheme()
    for question in data["domains"][1]["questions"]:
        question["outcomes"] = ["home_safety"]
    definition = ras.parse(data)
    scheme = engine.compile_scheme(definition)
    result = engine.explain(scheme, {**WORKED, "family": "no"}, unable_outcomes=frozenset())
    # Need 10, nothing off: £10.00 + 10 x £3.00 = £40.00.
    assert result.total_points == 10 and result.amount == Decimal("40.00")
    assert [line.kind for line in result.lines].count("domain_cap") == 1
    assert reference.score_one(definition, {**WORKED, "family": "no"}, frozenset())[3] == 10


@pytest.mark.django_db
def test_the_api_scores_a_capped_draft_as_worked_by_hand(client):
    _token, raw = ApiToken.issue(UserFactory(role=Role.COMMISSIONER), "Tests")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    scheme = RasScheme.objects.get(kind="person")
    made = client.post(
        f"/api/v1/ras/schemes/{scheme.pk}/versions",
        json.dumps({"label": "Capped", "definition": capped_scheme()}),
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    version = RasVersion.objects.get(pk=made.json()["id"])
    assert version.definition["domains"][0]["cap"] == 10
    response = client.post(
        f"/api/v1/ras/versions/{version.pk}/score",
        {"answers": WORKED},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["points"] == 13 and body["amount"] == "49.00"
    caps = [line for line in body["lines"] if line["kind"] == "domain_cap"]
    assert [(line["domain"], line["points"], line["amount"]) for line in caps] == [
        ("Daily living", -4, "-12.00"),
        ("Keeping safe", -6, "-18.00"),
    ]


@pytest.mark.django_db
def test_editing_a_capped_draft_in_the_editor_pages_keeps_its_caps(client, client_for):
    """Changing the money table in the editor pages keeps every domain's cap."""
    _token, raw = ApiToken.issue(UserFactory(role=Role.COMMISSIONER), "Tests")
    scheme = RasScheme.objects.get(kind="person")
    made = client.post(
        f"/api/v1/ras/schemes/{scheme.pk}/versions",
        json.dumps({"label": "Capped", "definition": capped_scheme()}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    draft = RasVersion.objects.get(pk=made.json()["id"])
    pages = client_for(UserFactory(role=Role.COMMISSIONER))
    saved = pages.post(
        f"/ras/versions/{draft.pk}/money-tables/everyone/",
        {
            "code": "everyone",
            "title": "Everyone",
            "method": "price_per_point",
            "fixed_amount": "10",
            "price_per_point": "3.5",
        },
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert [d.cap for d in draft.parsed.domains] == [10, 5, None]
    assert draft.parsed.allocation.price_per_point == Decimal("3.5")
    # The version page counts the caps in the most points: 10 + 5, not 14 + 11.
    assert "up to 15 points" in pages.get(f"/ras/versions/{draft.pk}/").content.decode()
    # The worked example at £3.50 a point: £10.00 + 13 x £3.50 = £55.50.
    assert engine.explain(draft.compiled, WORKED).amount == Decimal("55.50")
