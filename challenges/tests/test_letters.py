"""The budget letter: one template for the page and the PDF, read back from the PDF with pypdf
and checked against numbers worked out here from the plan; the same access rules as the plan;
no network when printing; every letter sent recorded in the letter history."""

import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pypdf
import pytest

from accounts.models import AccessEvent, ApiToken
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from challenges import letter
from challenges.models import BudgetLetter
from challenges.tests.factories import LetterPlanFactory, _citizen_for, colleague_of
from core.models import AuditEvent
from plans.tests.factories import DraftPlanFactory

pytestmark = pytest.mark.django_db


def pounds(pence: int) -> str:
    """£1,234.56 worked out here, not by core.money."""
    sign = "−" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"


def weekly_pence(values: dict) -> int:
    """A weekly line's cost in pence: units × unit cost, to the penny."""
    assert values["frequency"] == "weekly"
    cost = Decimal(values["units"]) * values["unit_cost_pence"]
    return int(cost.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def plan():
    return LetterPlanFactory()


@pytest.fixture
def person_user(plan):
    return _citizen_for(plan.person)


def test_the_letter_pdf_shows_the_final_amount_streams_services_contribution_and_how_to_challenge(
    client_for, plan, person_user
):
    lines = list(plan.lines.order_by("position", "id"))
    values = [
        {"units": line.units, "unit_cost_pence": line.unit_cost_pence, "frequency": line.frequency}
        for line in lines
    ]
    total = sum(weekly_pence(v) for v in values)
    contribution = sum(
        weekly_pence(v)
        for v, line in zip(values, lines, strict=True)
        if line.funding_stream == "contribution"
    )
    response = client_for(person_user).get(f"/plans/{plan.pk}/letter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)

    assert f"Your personal budget is {pounds(total)} a week" in text
    assert f"The council {pounds(total - contribution)} a week" in text
    assert f"The person’s own contribution {pounds(contribution)} a week" in text
    assert f"Your contribution is {pounds(contribution)} a week" in text
    # The services with their hours and hourly rates.
    assert "10 hours at £28.00 an hour = £280.00 a week" in text
    assert f"Your plan costs {pounds(total)} a week" in text
    # How the indicative amount was worked out, and why the final amount differs.
    indicative = plan.budget.indicative_pence
    assert f"indicative amount of {pounds(indicative)} a week" in text
    assert f"{pounds(abs(total - indicative))} less than the starting amount" in text
    # How the money is taken, naming the ISF's provider.
    assert "individual service fund held for you by Brightside Support" in text
    assert f"{pounds(total - contribution)} a week: managed by the council" in text
    # How to challenge, and how soon the answer comes.
    assert "within 20 working days" in text
    assert "Complaints (England) Regulations 2009" in text
    assert plan.person.full_name in text


def test_the_letter_page_is_drawn_from_the_same_template_with_the_same_numbers(
    client_for, plan, person_user
):
    client = client_for(person_user)
    page = page_text(client.get(f"/plans/{plan.pk}/letter/"))
    pdf = pdf_text(client.get(f"/plans/{plan.pk}/letter.pdf").content)
    amount = f"Your personal budget is {pounds(plan.budget.amount_pence)} a week"
    assert amount in page
    assert amount in pdf
    assert "Download the letter (PDF)" in page
    assert "Download the letter" not in pdf
    # The person does not record letters as sent: only staff do.
    assert "Record the letter as sent" not in page


def test_people_who_may_not_see_the_plan_get_a_404_for_the_letter_page_pdf_and_api(
    client_for, plan, other_team
):
    stranger = UserFactory(role=Role.PERSON)
    outsider = UserFactory(role=Role.PRACTITIONER, team=other_team)
    for user in (stranger, outsider):
        client = client_for(user)
        assert client.get(f"/plans/{plan.pk}/letter/").status_code == 404
        assert client.get(f"/plans/{plan.pk}/letter.pdf").status_code == 404
        _token, raw = ApiToken.issue(user, "Tests")
        api = client.get(f"/api/v1/plans/{plan.pk}/letter.pdf", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert api.status_code == 404
    assert AccessEvent.objects.filter(user=outsider, action="denied").count() >= 3


def test_a_plan_not_yet_agreed_has_no_letter(client_for, team, practitioner):
    draft = DraftPlanFactory()
    client = client_for(draft.author)
    assert client.get(f"/plans/{draft.pk}/letter/").status_code == 404
    assert client.get(f"/plans/{draft.pk}/letter.pdf").status_code == 404


def test_the_api_gives_the_person_their_letter_as_a_pdf(client, plan, person_user):
    _token, raw = ApiToken.issue(person_user, "Tests")
    response = client.get(f"/api/v1/plans/{plan.pk}/letter.pdf", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert f"Your personal budget is {pounds(plan.budget.amount_pence)} a week" in text


def test_printing_reads_static_files_from_disk_and_refuses_every_other_address():
    css = letter._static_file(letter.BASE_URL + "static/css/letter.css")
    assert css is not None and b"@page" in css[0]
    assert letter._static_file("https://example.org/static/css/letter.css") is None
    assert letter._static_file(letter.BASE_URL + "static/../config/settings.py") is None
    assert letter._static_file(letter.BASE_URL + "media/secret.pdf") is None
    fetcher = letter._fetcher()
    with pytest.raises(letter.OfflineRefused):
        (fetcher.fetch if hasattr(fetcher, "fetch") else fetcher)("http://127.0.0.1/x.css")


def test_the_letter_fetcher_never_opens_a_connection_even_for_an_outside_image(monkeypatch):
    import socket

    import weasyprint

    attempts = []

    def no_network(sock, address):
        attempts.append(address)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = (
        '<link rel="stylesheet" href="/static/css/letter.css">'
        '<img src="http://127.0.0.1:9/tracker.png" alt=""><p class="x">Hello</p>'
    )
    pdf = weasyprint.HTML(
        string=html, base_url=letter.BASE_URL, url_fetcher=letter._fetcher()
    ).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert "Hello" in pdf_text(pdf)
    assert attempts == []


def test_staff_record_a_letter_as_sent_and_it_shows_in_the_letter_history(
    client_for, plan, person_user
):
    practitioner = colleague_of(plan.person)
    client = client_for(practitioner)
    page = page_text(client.get(f"/plans/{plan.pk}/letter/"))
    assert "Record the letter as sent" in page
    response = client.post(f"/plans/{plan.pk}/letter/sent/")
    assert response.status_code == 302
    sent = BudgetLetter.objects.get(plan=plan)
    assert sent.issued_by == practitioner
    assert sent.amount_pence == plan.budget.amount_pence
    assert AuditEvent.objects.filter(record_type="challenges.budgetletter").count() == 1
    history = page_text(client.get(f"/plans/{plan.pk}/"))
    assert "Budget letter sent" in history
    assert practitioner.display_name in history
    portal = page_text(client_for(person_user).get(f"/my-record/people/{plan.person.pk}/"))
    assert "Budget letter sent" in portal
    assert f"Personal budget {pounds(plan.budget.amount_pence)} a week" in portal


def test_the_person_cannot_record_a_letter_as_sent(client_for, plan, person_user):
    response = client_for(person_user).post(f"/plans/{plan.pk}/letter/sent/")
    assert response.status_code == 404
    assert not BudgetLetter.objects.exists()


def test_a_letter_record_is_never_changed(plan):
    from challenges import actions

    sent = actions.issue_letter(plan, acting_user=colleague_of(plan.person))
    sent.note = "changed"
    with pytest.raises(PermissionError):
        sent.save()


def test_one_off_costs_are_told_apart_from_the_weekly_amount(client_for):
    from decimal import Decimal

    from challenges.tests.factories import letter_lines
    from plans.tests.factories import line_values

    equipment = line_values(
        service="equipment",
        description="A riser recliner chair",
        units=Decimal("1"),
        unit_cost_pence=30_000,
        frequency="one_off",
        line_type="equipment",
        service_type="sts_ongoing_low_level",
    )
    plan = LetterPlanFactory(lines=[*letter_lines(), equipment])
    weekly = sum(weekly_pence(v) for v in letter_lines())
    text = pdf_text(
        client_for(_citizen_for(plan.person)).get(f"/plans/{plan.pk}/letter.pdf").content
    )
    assert f"Your personal budget is {pounds(weekly)} a week" in text
    assert f"On top of that, {pounds(30_000)} is agreed once" in text
    assert "A riser recliner chair" in text
    # The streams table lists the weekly amounts only, adding up to the weekly budget.
    assert f"Total {pounds(weekly)} a week" in text
