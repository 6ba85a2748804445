"""The Jinja2 templates of the hot pages (ui/jinja.py) draw the same HTML as their Django twins.

The caseload and a person's record are drawn by Jinja2; the layout and the partials they
share with other pages (the record's header and summary, the error summary, keyset
pagination) exist in both languages. Each pair is drawn here with the same context and
compared character for character, so a change to one that forgets the other fails.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.template import engines
from django.test import RequestFactory

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from people.paging import KeysetPage
from people.tests.factories import CarerFactory, CaringRelationshipFactory, PersonFactory
from ui.forms import GovUKForm
from ui.jinja import date, url

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _request(user, path="/people/", messages=()):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request._messages = default_storage(request)
    request.csp_nonce = "nonce-for-the-test"
    for level, text in messages:
        request._messages.add(level, text)
    return request


def _both(django_source: str, jinja_source: str, context: dict, request=None) -> tuple[str, str]:
    drawn = (
        engines["django"].from_string(django_source).render(dict(context), request),
        engines["jinja2"].from_string(jinja_source).render(dict(context), request),
    )
    # Each drawing masks the CSRF secret afresh: the same secret, different characters.
    return tuple(CSRF.sub('name="csrfmiddlewaretoken" value="…"', html) for html in drawn)


def _page(request, context=None):
    return _both(
        '{% extends "base.html" %}{% block title %}Title & more{% endblock %}'
        "{% block content %}<p>Body</p>{% endblock %}",
        '{% extends "layout.html" %}{% block title %}Title & more{% endblock %}'
        "{% block content %}<p>Body</p>{% endblock %}",
        context or {},
        request,
    )


class Broken(GovUKForm):
    from django import forms

    name = forms.CharField(label="Name")


@pytest.mark.parametrize("role", [None, Role.PRACTITIONER, Role.FINANCE, Role.PERSON, Role.ADMIN])
def test_the_jinja_layout_draws_what_base_html_draws_for_each_kind_of_user(role, team):
    user = AnonymousUser() if role is None else UserFactory(role=role, first_name="Zoë O'Neil")
    django, jinja = _page(_request(user, path="/people/find/"))
    assert jinja == django
    assert "Body" in jinja and "nonce-for-the-test" in jinja


def test_the_jinja_layout_shows_messages_and_a_form_s_errors_as_base_html_does(practitioner):
    request = _request(
        practitioner,
        messages=[(constants.SUCCESS, "Iris O'Neil has been added"), (constants.INFO, "Note <b>")],
    )
    form = Broken(data={})
    django, jinja = _page(request, {"form": form})
    assert jinja == django
    assert "Error: " in jinja and "Iris O&#x27;Neil has been added" in jinja
    assert len(list(get_messages(request))) == 2


def _partial(name: str, context: dict) -> tuple[str, str]:
    return (
        engines["django"].get_template(name).render(dict(context)),
        engines["jinja2"].get_template(name).render(dict(context)),
    )


@pytest.fixture
def person(team):
    representative = UserFactory(role=Role.REPRESENTATIVE, first_name="Ann", last_name="O'Hara")
    person = PersonFactory(
        team=team,
        title="Mrs",
        first_name="Iris",
        middle_names="May",
        last_name="O'Neil <Marlow>",
        preferred_name="Rissa",
        date_of_death=dt.date(2025, 1, 2),
        has_dementia=True,
        has_autism=True,
        representative=representative,
        representative_relationship="Daughter & attorney",
        address_line_1="1 High Street",
        town="Wexcombe",
        phone="01234 567890",
    )
    CaringRelationshipFactory(carer=CarerFactory(team=team, last_name="Carer's"), cared_for=person)
    return person


@pytest.mark.parametrize("staff", [True, False])
@pytest.mark.parametrize("may_change", [True, False])
def test_a_person_s_summary_is_the_same_in_both_languages(person, staff, may_change):
    django, jinja = _partial(
        "people/_summary.html",
        {"person": person, "team_name": person.team.name, "staff": staff, "may_change": may_change},
    )
    assert jinja == django
    assert "O&#x27;Neil &lt;Marlow&gt;" in jinja and "Daughter &amp; attorney" in jinja


def test_a_person_s_summary_without_links_or_details_is_the_same_in_both_languages(team):
    plain = PersonFactory(team=None, nhs_number=None, postcode="")
    django, jinja = _partial(
        "people/_summary.html",
        {"person": plain, "team_name": "", "staff": True, "may_change": True},
    )
    assert jinja == django
    assert "No caring relationship recorded" in jinja and "Not allocated" in jinja


@pytest.mark.parametrize("tab", ["details", "history", "access"])
def test_a_record_s_header_is_the_same_in_both_languages(person, tab):
    django, jinja = _partial("people/_record_header.html", {"person": person, "tab": tab})
    assert jinja == django
    assert 'aria-current="page"' in jinja


def test_an_error_summary_is_the_same_in_both_languages():
    for form in (Broken(data={}), Broken(data={"name": "Iris"}), Broken()):
        django, jinja = _partial("ui/error_summary.html", {"form": form})
        assert jinja == django
    assert "Enter name" in _partial("ui/error_summary.html", {"form": Broken(data={})})[1]


@pytest.mark.parametrize("previous", [True, False])
@pytest.mark.parametrize("following", [True, False])
def test_keyset_pagination_is_the_same_in_both_languages(person, previous, following):
    request = RequestFactory().get("/people/", {"name": "o'neil & co", "after": "3", "page": "2"})
    page = KeysetPage([person], has_previous=previous, has_next=following)
    django, jinja = _partial("ui/pagination_keyset.html", {"page": page, "request": request})
    assert jinja == django
    assert ("rel=" in jinja) == (previous or following)


def test_jinja_s_date_filter_writes_an_aware_time_in_the_council_s_time_zone():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time), as Django's filter says.
    moment = dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.UTC)
    django = engines["django"].from_string('{{ moment|date:"j M Y" }}').render({"moment": moment})
    assert date(moment, "j M Y") == django == "1 Jul 2025"
    assert date(None, "j M Y") == ""


def test_jinja_s_url_is_django_s_reverse():
    from django.urls import reverse

    assert url("people:caseload") == reverse("people:caseload")
    assert url("people:caring-end", 4, 9) == reverse("people:caring-end", args=[4, 9])


def test_a_misspelt_name_in_a_jinja_template_is_an_error_not_a_blank():
    from jinja2.exceptions import UndefinedError

    with pytest.raises(UndefinedError):
        engines["jinja2"].from_string("{{ persn.full_name }}").render({})


def test_a_choice_label_is_what_django_s_display_method_gives(person):
    from ui.jinja import choice_label

    fields = [f.name for f in type(person)._meta.concrete_fields if f.choices]
    assert len(fields) >= 10
    for name in fields:
        for value, _label in [*type(person)._meta.get_field(name).flatchoices, ("unknown", "")]:
            setattr(person, name, value)
            assert choice_label(person, name) == getattr(person, f"get_{name}_display")()
