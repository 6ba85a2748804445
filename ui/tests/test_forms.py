"""GOV.UK form helpers: the date input's messages and the field markup."""

import datetime as dt

import pytest
from django import forms

from ui.forms import GovUKDateField, GovUKForm


class ExampleForm(GovUKForm):
    name = forms.CharField(label="Full name", max_length=10)
    born = GovUKDateField(label="Date of birth", past_only=True, help_text="For example, 27 3 1948")
    choice = forms.ChoiceField(
        label="Colour", choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect
    )


def errors(data):
    form = ExampleForm(data)
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def date(day, month, year):
    return {"born_day": day, "born_month": month, "born_year": year}


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), "Enter date of birth"),
        (("", "3", "1948"), "Date of birth must include a day"),
        (("27", "", ""), "Date of birth must include a month and a year"),
        (("31", "2", "1948"), "Date of birth must be a real date"),
        (("a", "3", "1948"), "Date of birth must be a real date"),
        (("27", "3", "48"), "Year must include 4 numbers"),
        (("1", "1", str(dt.date.today().year + 1)), "Date of birth must be today or in the past"),
        # Enormous numbers are a message, not an overflow (issue #6 §5).
        (("99999999999999999999", "3", "1948"), "Date of birth must be a real date"),
        (("27", "99999999999999999999", "1948"), "Date of birth must be a real date"),
        (("9" * 5000, "9" * 5000, "1948"), "Date of birth must be a real date"),
        (("100", "3", "1948"), "Date of birth must be a real date"),
        (("027", "003", "1948"), None),
        (("٢٧", "3", "1948"), "Date of birth must be a real date"),  # digits, but not 0-9
        (("27", "3", "99999999999999999999"), "Year must include 4 numbers"),
    ],
)
def test_date_mistakes_get_their_own_message(parts, message):
    found = errors({"name": "Iris", "choice": "r", **date(*parts)})
    assert found.get("born") == ([message] if message else None)


def test_a_good_date_is_a_date():
    form = ExampleForm({"name": "Iris", "choice": "r", **date("27", "3", "1948")})
    assert form.is_valid()
    assert form.cleaned_data["born"] == dt.date(1948, 3, 27)


def test_generic_messages_become_gov_uk_ones():
    found = errors({"name": "", "choice": "", **date("27", "3", "1948")})
    assert found == {"name": ["Enter full name"], "choice": ["Select colour"]}
    assert errors({"name": "x" * 11, "choice": "blue", **date("27", "3", "1948")}) == {
        "name": ["Full name must be 10 characters or fewer"],
        "choice": ["Select colour from the list"],
    }


def test_error_summary_links_to_the_first_box_of_each_field():
    form = ExampleForm({"name": "", "choice": "", **date("", "", "")})
    form.is_valid()
    assert [anchor for anchor, _ in form.error_summary()] == ["id_name", "id_born_0", "id_choice_0"]


def test_fields_render_gov_uk_markup_with_error_state():
    form = ExampleForm({"name": "", "choice": "r", **date("27", "13", "1948")})
    form.is_valid()
    html = str(form["name"].as_field_group())
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert 'aria-describedby="id_name-error"' in html
    assert '<span class="govuk-visually-hidden">Error:</span> Enter full name' in html
    date_html = str(form["born"].as_field_group())
    assert (
        'role="group"' in date_html and 'aria-describedby="id_born-hint id_born-error"' in date_html
    )
    assert date_html.count("govuk-input--error") == 3
    radios = str(form["choice"].as_field_group())
    assert radios.count('class="govuk-radios__input"') == 2 and "checked" in radios
