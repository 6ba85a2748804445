"""One-off amounts (selfdirect-ras/2 period "once", issue 10): said as one-off, never "a
week", and never multiplied by 52 in a year's total."""

from decimal import Decimal

import numpy as np
import pytest

from allocation.domain import calibration, engine, reference
from allocation.domain import definition as ras
from allocation.tests.factories import DraftVersionFactory
from allocation.tests.test_hundredths import score_api  # noqa: F401 - a fixture
from core.money import annual_multiplier


def one_off_dict() -> dict:
    return {
        "format": "selfdirect-ras/2",
        "kind": "person",
        "period": "once",
        "domains": [
            {
                "code": "home",
                "title": "Setting up home",
                "questions": [
                    {
                        "code": "equipment",
                        "text": "Do you need equipment at home?",
                        "type": "single",
                        "options": [
                            {"code": "none", "label": "None", "points": 0},
                            {"code": "some", "label": "Some", "points": 3},
                        ],
                    },
                    {
                        "code": "adaptations",
                        "text": "Do you need changes made to your home?",
                        "type": "single",
                        "options": [
                            {"code": "none", "label": "None", "points": 0},
                            {"code": "some", "label": "Some", "points": 4},
                        ],
                    },
                ],
            }
        ],
        "informal_support": {"method": "whole_scheme", "cap_percent": 0},
        "money_tables": [
            {
                "code": "everyone",
                "title": "Everyone",
                "method": "price_per_point",
                "fixed_amount": "100.00",
                "price_per_point": "25.00",
            }
        ],
        "limits": {"minimum": None, "maximum": None},
    }


BOTH = {"equipment": "some", "adaptations": "some"}


def test_a_one_off_amount_is_worked_out_and_said_as_one_off():
    definition = ras.parse(one_off_dict())
    result = engine.explain(engine.compile_scheme(definition), BOTH)
    # £100.00 + (3 + 4) × £25.00 = £275.00, paid once
    assert result.amount == Decimal("275.00")
    assert reference.amount_one(definition, 7) == 27500
    assert result.period == "once"
    texts = " ".join(line.text for line in result.lines)
    assert "fixed £100.00 as a one-off amount" in texts
    assert "a week" not in texts and "a year" not in texts


def test_a_year_of_one_off_amounts_is_not_multiplied():
    assert annual_multiplier("once") == 1
    scheme = engine.compile_scheme(ras.parse(one_off_dict()))
    people = [BOTH, {"equipment": "some", "adaptations": "none"}]
    choices, _ = engine.encode_many(scheme, people)
    net = engine.score(scheme, choices).net
    # £275.00 + £175.00, each once: £450.00 (not × 52)
    exact, issued = calibration.modelled_annual_total(scheme, np.bincount(net))
    assert (exact, issued) == (Decimal("450.00"), 45000)


def test_the_score_api_gives_a_one_off_amount_and_no_weekly_amount(score_api):  # noqa: F811
    body = score_api(one_off_dict(), {"answers": BOTH}).json()
    assert body["period"] == "once"
    assert body["amount"] == "275.00"
    assert body["weekly_amount"] is None


@pytest.mark.django_db
def test_the_version_page_says_one_off(client_for):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    draft = DraftVersionFactory(definition=one_off_dict())
    page = client_for(UserFactory(role=Role.COMMISSIONER)).get(f"/ras/versions/{draft.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "£25.00 a point, plus a fixed £100.00, one-off" in text
    assert "a once" not in text
