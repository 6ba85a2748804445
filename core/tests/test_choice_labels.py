"""core.models.choice_label gives what Django's own get_<field>_display gives, for every
field with choices in the project, from labels put in a dictionary once."""

import pytest
from django.apps import apps
from django.db import models

from core.models import ChoiceLabels, choice_label
from plans.models import PlanLine


def _fields_with_choices():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def _django_label(model, field, value):
    """Django's own method, on an instance of the model that holds the value."""
    instance = model.__new__(model)
    instance.__dict__[field.attname] = value
    return models.Model._get_FIELD_display(instance, field)


def test_every_choice_of_every_field_gets_the_label_django_would_give():
    checked = 0
    for model, field in _fields_with_choices():
        for value, _label in field.flatchoices:
            assert choice_label(field, value) == _django_label(model, field, value), (
                f"{model.__name__}.{field.name} = {value!r}"
            )
            checked += 1
    assert checked > 100  # the project's many lists of choices, not a handful


@pytest.mark.parametrize("value", ["not-a-choice", "", None, 7, ["a", "list"]])
def test_a_value_that_is_not_a_choice_is_shown_as_itself_as_django_does(value):
    field = PlanLine._meta.get_field("service_type")
    assert choice_label(field, value) == _django_label(PlanLine, field, value)


def test_models_that_use_the_labels_answer_get_display_from_them():
    line = PlanLine(service_type="lts_community", line_type="care", mode="direct_payment")
    assert isinstance(line, ChoiceLabels)
    assert line.get_mode_display() == _django_label(
        PlanLine, PlanLine._meta.get_field("mode"), "direct_payment"
    )
    assert line.get_mode_display() != "direct_payment"  # a label, not the code


def test_choices_given_by_a_callable_are_read_afresh_each_time():
    offered = [("a", "First")]
    field = models.CharField(max_length=5, choices=lambda: list(offered))
    field.set_attributes_from_name("letter")
    assert choice_label(field, "a") == "First"
    offered[:] = [("a", "Changed")]
    assert choice_label(field, "a") == "Changed"
