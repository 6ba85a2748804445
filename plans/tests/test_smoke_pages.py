import pytest
from assessment.tests.factories import CompletedAssessmentFactory
from people.tests.factories import PersonFactory
from plans.models import SupportPlan
from plans.tests.factories import approver_with_limit, open_reserve
from accounts.tests.factories import UserFactory
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_pages(client_for, team, practitioner):
    person = CompletedAssessmentFactory(
        person=PersonFactory(team=team), acting_user=practitioner
    ).person
    c = client_for(practitioner)
    r = c.get(f"/people/{person.pk}/plans/")
    assert r.status_code == 200, r.content[:3000]
    r = c.post(f"/people/{person.pk}/plans/new/")
    assert r.status_code == 302, r.content[:2000]
    plan = SupportPlan.objects.get(person=person)
    for url in [
        "",
        "what-matters/",
        "support/",
        "support/new/",
        "staying-safe/",
        "who-helped/",
        "check/",
    ]:
        r = c.get(f"/plans/{plan.pk}/{url}")
        assert r.status_code == 200, (url, r.content.decode()[:3000])
    r = c.post(
        f"/plans/{plan.pk}/what-matters/",
        {"text": "Get out", "links": ["hygiene", "toilet"], "edit_version": plan.edit_version},
    )
    assert r.status_code == 302, r.content.decode()
    plan.refresh_from_db()
    data = {
        "line_type": "care",
        "service": "home_care",
        "service_type": "lts_community",
        "description": "Mornings",
        "provider_kind": "provider",
        "provider": "Acme",
        "units": "5",
        "unit_cost": "",
        "frequency": "weekly",
        "mode": "council_managed",
        "funding_stream": "council",
        "start_date_day": "1",
        "start_date_month": "12",
        "start_date_year": "2026",
        "edit_version": plan.edit_version,
    }
    r = c.post(f"/plans/{plan.pk}/support/preview/", data)
    assert r.status_code == 200
    print(r.content.decode())
    r = c.post(f"/plans/{plan.pk}/support/new/", data)
    assert r.status_code == 302, r.content.decode()[-4000:]
    plan.refresh_from_db()
    r = c.post(
        f"/plans/{plan.pk}/staying-safe/",
        {"no_risks_form": "1", "no_risks": "on", "edit_version": plan.edit_version},
    )
    assert r.status_code == 302, r.content.decode()
    plan.refresh_from_db()
    r = c.post(
        f"/plans/{plan.pk}/who-helped/", {"helpers": ["self"], "edit_version": plan.edit_version}
    )
    assert r.status_code == 302, r.content.decode()
    plan.refresh_from_db()
    r = c.get(f"/plans/{plan.pk}/support/")
    assert r.status_code == 200
    r = c.get(f"/plans/{plan.pk}/check/")
    assert r.status_code == 200
    r = c.post(f"/plans/{plan.pk}/check/", {"edit_version": plan.edit_version})
    assert r.status_code == 302, r.content.decode()
    r = c.get(f"/plans/{plan.pk}/sent/")
    assert r.status_code == 200
    r = c.get(f"/plans/{plan.pk}/")
    assert r.status_code == 200
    r = c.get(f"/plans/{plan.pk}/return/")
    assert r.status_code == 200
    approver = approver_with_limit(team=team, weekly_pence=1)
    a = client_for(approver)
    r = a.get(f"/plans/{plan.pk}/approve/")
    assert r.status_code == 200, r.content.decode()
    r = a.post(f"/plans/{plan.pk}/approve/", {})
    assert r.status_code == 302, [
        l for l in r.content.decode().splitlines() if "error" in l or "<li>" in l
    ]
    plan.refresh_from_db()
    assert plan.status == "panel"
    open_reserve(approver)
    a2 = client_for(approver_with_limit(team=team))
    r = a2.get(f"/plans/{plan.pk}/panel/")
    assert r.status_code == 200, r.content.decode()
    r = a2.post(f"/plans/{plan.pk}/panel/", {"outcome": "agreed", "reasons": "Fine"})
    assert r.status_code == 302, r.content.decode()[-3000:]
    plan.refresh_from_db()
    print(plan.status)
    r = a.get("/reserve/")
    assert r.status_code == 200
    from budgets.models import Reserve

    r = a.get(f"/reserve/{Reserve.objects.first().pk}/")
    assert r.status_code == 200
    print(r.content.decode()[-3000:])
    r = c.get(f"/plans/{plan.pk}/")
    assert r.status_code == 200
    r = a.get(f"/plans/waiting/")
    assert r.status_code == 200
