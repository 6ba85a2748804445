"""The council's reference rates: one in force per service on any date, kept by
commissioners on a page, read by anyone signed in through the API."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import ApiToken
from accounts.tests.factories import CommissionerFactory, PersonUserFactory
from allocation import actions
from allocation.domain import rates
from allocation.models import ReferenceRate
from core.models import AuditEvent
from core.rules import BusinessRuleViolation

pytestmark = pytest.mark.django_db
APRIL_2027 = dt.date(2027, 4, 1)


@pytest.fixture
def commissioner():
    return CommissionerFactory()


def test_a_new_rate_ends_the_one_before_it_the_day_before(commissioner):
    rate = actions.add_reference_rate(
        "home_care", acting_user=commissioner, rate_pence=2950, effective_from=APRIL_2027
    )
    old = ReferenceRate.objects.get(service="home_care", effective_from=rates.SHIPPED_FROM)
    assert old.effective_to == dt.date(2027, 3, 31) and rate.effective_to is None
    assert ReferenceRate.objects.in_force(on=dt.date(2027, 3, 31))["home_care"] == 2800
    assert ReferenceRate.objects.in_force(on=APRIL_2027)["home_care"] == 2950
    assert old.history.first().history_change_reason.startswith("Replaced by the rate")
    summaries = AuditEvent.objects.filter(action="allocation.add_reference_rate").values_list(
        "summary", flat=True
    )
    assert "Home care rate of £29.50 an hour from 1 April 2027" in summaries


@pytest.mark.parametrize(
    ("service", "pence", "start", "code"),
    [
        ("home_care", 0, APRIL_2027, "RATE-NOT-POSITIVE"),
        ("hot_tub", 1000, APRIL_2027, "RATE-UNKNOWN-SERVICE"),
        ("home_care", 3000, rates.SHIPPED_FROM, "RATE-START-CLASH"),
        ("home_care", 3000, dt.date(2025, 4, 1), "RATE-START-CLASH"),
    ],
)
def test_a_rate_that_breaks_a_rule_is_refused_with_its_code(
    commissioner, service, pence, start, code
):
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.add_reference_rate(
            service, acting_user=commissioner, rate_pence=pence, effective_from=start
        )
    assert code in refused.value.codes
    assert ReferenceRate.objects.count() == len(rates.SHIPPED)


def test_the_database_refuses_two_rates_in_force_on_the_same_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceRate.objects.create(  # a second open-ended rate
            service="home_care", rate_pence=1, effective_from=APRIL_2027
        )
    if connection.vendor == "postgresql":  # the trigger catches overlapping closed ranges too
        from django.db import DatabaseError

        with pytest.raises(DatabaseError), transaction.atomic():
            ReferenceRate.objects.create(
                service="home_care",
                rate_pence=1,
                effective_from=dt.date(2026, 6, 1),
                effective_to=dt.date(2026, 6, 30),
            )


def test_a_rate_can_be_ended_with_nothing_after_it(commissioner):
    meals = ReferenceRate.objects.get(service="meals")
    actions.end_reference_rate(meals, acting_user=commissioner, end_date=dt.date(2026, 12, 31))
    assert "meals" not in ReferenceRate.objects.in_force(on=APRIL_2027)
    with pytest.raises(BusinessRuleViolation) as refused:
        actions.end_reference_rate(meals, acting_user=commissioner, end_date=dt.date(2020, 1, 1))
    assert refused.value.codes == ["RATE-ENDS-BEFORE-START"]


def test_staff_read_the_rates_and_commissioners_add_one(client_for, practitioner, commissioner):
    page = client_for(practitioner).get("/ras/reference-rates/").content.decode()
    assert "Rates in force today" in page and "£230.00 a night" in page
    assert "Add a rate" not in page
    assert client_for(practitioner).get("/ras/reference-rates/add/").status_code == 404
    client = client_for(commissioner)
    assert "Add a rate" in client.get("/ras/reference-rates/").content.decode()
    response = client.post(
        "/ras/reference-rates/add/",
        {
            "service": "waking_night",
            "rate": "£245.00",
            "effective_from_day": "1",
            "effective_from_month": "4",
            "effective_from_year": "2027",
            "notes": "Cabinet decision on the 2027/28 fee uplift",
        },
    )
    assert response.status_code == 302
    assert ReferenceRate.objects.in_force(on=APRIL_2027)["waking_night"] == 24500
    history = client.get("/ras/reference-rates/?on=2027-04-01").content.decode()
    assert "Rates in force on 1 April 2027" in history and "£245.00 a night" in history
    assert "Cabinet decision" in history


def test_the_add_form_shows_a_refusal_on_the_page(client_for, commissioner):
    response = client_for(commissioner).post(
        "/ras/reference-rates/add/",
        {
            "service": "home_care",
            "rate": "30.00",
            "effective_from_day": "1",
            "effective_from_month": "1",
            "effective_from_year": "2026",
        },
    )
    assert response.status_code == 200
    assert "a new rate must start after that" in response.content.decode()


def test_a_person_cannot_reach_the_rates_page(client_for):
    assert client_for(PersonUserFactory()).get("/ras/reference-rates/").status_code == 404


def test_the_api_gives_the_rates_in_force_today_or_on_a_date(client, practitioner, commissioner):
    _token, raw = ApiToken.issue(practitioner, "Tests")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    actions.add_reference_rate(
        "nursing", acting_user=commissioner, rate_pence=131000, effective_from=APRIL_2027
    )
    today = client.get("/api/v1/ras/reference-rates", **auth).json()
    assert [r["service"] for r in today] == [s.code for s in rates.SERVICES]
    nursing = next(r for r in today if r["service"] == "nursing")
    assert nursing == {
        "service": "nursing",
        "label": "Nursing care",
        "unit": "week",
        "rate": "1250.00",
        "effective_from": "2026-04-01",
        "effective_to": "2027-03-31",
    }
    later = client.get("/api/v1/ras/reference-rates?on=2027-04-01", **auth).json()
    assert next(r for r in later if r["service"] == "nursing")["rate"] == "1310.00"
    assert client.get("/api/v1/ras/reference-rates?on=2020-01-01", **auth).json() == []
    assert client.get("/api/v1/ras/reference-rates?on=0", **auth).status_code == 422
    assert client.get("/api/v1/ras/reference-rates").status_code == 401
