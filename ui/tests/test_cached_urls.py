"""record_url and static_url give what {% url %} and {% static %} give, worked out once."""

import pytest
from django.template import Context, Template
from django.urls import reverse

NAMES = [
    "people:detail",
    "people:edit",
    "people:history",
    "people:access-log",
    "assessment:person-assessments",
    "plans:person-plans",
    "reviews:person",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 7, 123456789])
def test_a_record_url_is_the_url_django_reverses(name, pk):
    drawn = Template("{% load ui %}{% record_url name pk %}").render(
        Context({"name": name, "pk": pk})
    )
    assert drawn == reverse(name, args=[pk])


@pytest.mark.parametrize("name", ["plans:line", "plans:remove-line", "plans:outcome"])
@pytest.mark.parametrize("ids", [(1, 2), (7, 7), (123456789, 3)])
def test_a_record_url_of_two_ids_is_the_url_django_reverses(name, ids):
    drawn = Template("{% load ui %}{% record_url name a b %}").render(
        Context({"name": name, "a": ids[0], "b": ids[1]})
    )
    assert drawn == reverse(name, args=list(ids))


def test_a_static_url_is_the_one_the_static_tag_gives():
    for path in ("css/selfdirect.css", "js/htmx.min.js"):
        ours = Template("{% load ui %}{% static_url path %}").render(Context({"path": path}))
        django = Template("{% load static %}{% static path %}").render(Context({"path": path}))
        assert ours == django != ""
