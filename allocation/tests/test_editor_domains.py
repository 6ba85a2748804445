"""The scheme editor's domains: a commissioner sets a cap on a domain's points, and the cap
stays with the domain when it is renamed (issue 10)."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation.domain import engine
from allocation.models import RasVersion
from allocation.tests.factories import DraftVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER)


@pytest.fixture
def draft(commissioner):
    return DraftVersionFactory(label="Capped domains", acting_user=commissioner)


@pytest.fixture
def pages(client_for, commissioner):
    return client_for(commissioner)


def first_domain(version):
    return version.parsed.domains[0]


def domain_form(domain, **changes) -> dict:
    return {
        "code": domain.code,
        "title": domain.title,
        "description": domain.description,
        "cap": "",
        **changes,
    }


def test_a_commissioner_caps_a_domains_points(pages, draft):
    domain = first_domain(draft)
    response = pages.post(
        f"/ras/versions/{draft.pk}/domains/{domain.code}/", domain_form(domain, cap="6")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert first_domain(draft).cap == 6
    assert "6 (capped)" in pages.get(f"/ras/versions/{draft.pk}/domains/").content.decode()
    # The domain's highest answers score more than 6, and count as 6.
    highest = {q.code: q.options[0].code for q in draft.parsed.questions}
    highest.update({q.code: q.options[-1].code for q in first_domain(draft).questions})
    uncapped = sum(max(o.points for o in q.options) for q in first_domain(draft).questions)
    assert uncapped > 6
    lines = engine.explain(draft.compiled, highest).lines
    cap_line = next(line for line in lines if line.kind == "domain_cap")
    assert cap_line.points == 6 - uncapped


def test_renaming_a_capped_domain_keeps_its_cap_and_its_questions(pages, draft):
    """The bug of issue 10: the editor changed domains in the older format, which has no
    caps, and took caps back by the domain's code, so a renamed domain lost its cap."""
    domain = first_domain(draft)
    pages.post(f"/ras/versions/{draft.pk}/domains/{domain.code}/", domain_form(domain, cap="6"))
    draft.refresh_from_db()
    questions = [q.code for q in first_domain(draft).questions]
    response = pages.post(
        f"/ras/versions/{draft.pk}/domains/{domain.code}/",
        domain_form(domain, code="home_and_money", title="Home and money", cap="6"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    renamed = first_domain(draft)
    assert (renamed.code, renamed.title, renamed.cap) == ("home_and_money", "Home and money", 6)
    assert [q.code for q in renamed.questions] == questions
    # Changing something else afterwards keeps it too.
    other = draft.parsed.domains[1]
    pages.post(f"/ras/versions/{draft.pk}/domains/{other.code}/", domain_form(other, title="Other"))
    draft.refresh_from_db()
    assert first_domain(draft).cap == 6


def test_a_cap_is_cleared_by_leaving_it_blank(pages, draft):
    domain = first_domain(draft)
    url = f"/ras/versions/{draft.pk}/domains/{domain.code}/"
    pages.post(url, domain_form(domain, cap="6"))
    page = pages.get(url).content.decode()
    assert 'value="6"' in page
    pages.post(url, domain_form(domain, cap=""))
    draft.refresh_from_db()
    assert first_domain(draft).cap is None
    assert "cap" not in draft.definition["domains"][0]


def test_a_new_domain_can_have_a_cap(pages, draft):
    response = pages.post(
        f"/ras/versions/{draft.pk}/domains/",
        {"code": "garden", "title": "Garden", "description": "", "cap": "4"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.parsed.domains[-1].cap == 4


def test_a_cap_that_is_not_a_number_above_zero_is_refused_and_nothing_saved(pages, draft):
    domain = first_domain(draft)
    before = draft.definition
    url = f"/ras/versions/{draft.pk}/domains/{domain.code}/"
    for cap, message in [
        ("0", "must be 0.01 or more"),
        ("lots", "must be a number"),
        ("2.125", "must have no more than 2 decimal places"),
    ]:
        page = pages.post(url, domain_form(domain, cap=cap)).content.decode()
        assert message in page, cap
        assert 'href="#id_cap"' in page
    draft.refresh_from_db()
    assert draft.definition == before


def test_domains_move_down_as_well_as_up(pages, draft):
    codes = [d.code for d in draft.parsed.domains]
    pages.post(
        f"/ras/versions/{draft.pk}/domains/{codes[0]}/move/",
        {"direction": "down", "edit_version": draft.edit_version},
    )
    draft.refresh_from_db()
    assert [d.code for d in draft.parsed.domains][:2] == [codes[1], codes[0]]


def test_practitioners_and_live_versions_cannot_have_domains_changed(
    client_for, practitioner, pages, draft
):
    domain = first_domain(draft)
    client = client_for(practitioner)
    url = f"/ras/versions/{draft.pk}/domains/{domain.code}/"
    assert client.get(url).status_code == 404
    assert client.post(url, domain_form(domain, cap="6")).status_code == 404
    live = RasVersion.objects.live_on("person")
    live_url = f"/ras/versions/{live.pk}/domains/{live.parsed.domains[0].code}/"
    assert pages.post(live_url, domain_form(live.parsed.domains[0], cap="6")).status_code == 404
    draft.refresh_from_db()
    live.refresh_from_db()
    assert first_domain(draft).cap is None and live.parsed.domains[0].cap is None
