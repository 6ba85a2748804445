"""fixed_field_group draws a field exactly as as_field_group does, once per value."""

from django.template import Context, Template

from people.forms import CaseloadFilterForm
from ui.templatetags import ui


def draw(form, name):
    return Template("{% load ui %}{% fixed_field_group field %}").render(
        Context({"field": form[name]})
    )


def test_a_remembered_field_is_the_field_as_django_draws_it():
    ui._FIELD_GROUPS.clear()
    form = CaseloadFilterForm({"name": "Marlow", "age_band": "75-84"})
    form.is_valid()
    for name in form.fields:
        assert draw(form, name) == form[name].as_field_group()
        assert draw(form, name) == form[name].as_field_group()  # and again, from memory


def test_another_value_or_an_error_is_drawn_afresh():
    ui._FIELD_GROUPS.clear()
    first = CaseloadFilterForm({"name": "Marlow"})
    first.is_valid()
    second = CaseloadFilterForm({"name": "Okoro"})
    second.is_valid()
    assert 'value="Marlow"' in draw(first, "name")
    assert 'value="Okoro"' in draw(second, "name")
    wrong = CaseloadFilterForm({"nhs_number": "abc"})
    wrong.is_valid()
    assert "NHS number must only include numbers" in draw(wrong, "nhs_number")
    assert "NHS number must only include numbers" not in draw(first, "nhs_number")


def test_memory_is_bounded(monkeypatch):
    ui._FIELD_GROUPS.clear()
    monkeypatch.setattr(ui, "FIELD_GROUPS_KEPT", 3)
    for index in range(10):
        form = CaseloadFilterForm({"nhs_number": f"abc{index}"})  # each one wrong
        form.is_valid()
        draw(form, "nhs_number")
    assert len(ui._FIELD_GROUPS) == 3


TYPED = ["Marlow", "O'Neil", 'Say "hi" & <b>go</b>', "Zoë Łukasz", "fixedfieldgroup", " x "]


def test_a_typed_text_box_is_drawn_once_and_shows_each_value_as_django_draws_it():
    ui._FIELD_GROUPS.clear()
    for typed in TYPED:
        form = CaseloadFilterForm({"name": typed, "postcode": typed[:7]})
        form.is_valid()
        for name in ("name", "postcode"):
            assert draw(form, name) == form[name].as_field_group()
    # Whatever was typed, one drawing of the name box is remembered (postcode: some wrong).
    names = [key for key in ui._FIELD_GROUPS if key[2] == "name"]
    assert len(names) == 1


def test_a_text_box_with_an_error_is_drawn_with_its_own_value_and_message():
    ui._FIELD_GROUPS.clear()
    for typed in ("12ab", "9434765918"):
        form = CaseloadFilterForm({"nhs_number": typed})
        form.is_valid()
        assert form["nhs_number"].errors
        assert draw(form, "nhs_number") == form["nhs_number"].as_field_group()
        assert f'value="{typed}"' in draw(form, "nhs_number")
