"""GOV.UK Design System form rendering for Django forms.

Django's form renderer hands every field to `ui/forms/field.html`, which draws the
GOV.UK markup (label or legend, hint, error message, input) for the field's widget.
Forms inherit `GovUKForm` (or `GovUKModelForm`) and get this for free.
"""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates


class GovUKRenderer(DjangoTemplates):
    form_template_name = "ui/forms/form.html"
    field_template_name = "ui/forms/field.html"


# One renderer for every form: its template engine caches the parsed templates. (A renderer
# class given to a form is instantiated per form, which re-read and re-parsed every field
# template from disk on every request.)
GOVUK_RENDERER = GovUKRenderer()


class GovUKRadioSelect(forms.RadioSelect):
    template_name = "ui/widgets/radios.html"
    option_template_name = "ui/widgets/radio_option.html"

    def __init__(self, attrs=None, choices=(), inline=False, small=False, hints=None):
        super().__init__(attrs, choices)
        self.inline = inline
        self.small = small
        self.hints = hints or {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["inline"] = self.inline
        context["widget"]["small"] = self.small
        return context

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        return option


class GovUKCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "ui/widgets/checkboxes.html"
    option_template_name = "ui/widgets/checkbox_option.html"

    def __init__(self, attrs=None, choices=(), small=False):
        super().__init__(attrs, choices)
        self.small = small

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["small"] = self.small
        return context


class GovUKDateInput(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern asks."""

    template_name = "ui/widgets/date.html"
    parts = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs=None):
        widgets = {
            name: forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
            for name, _label, _width in self.parts
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (part, label, width) in zip(
            context["widget"]["subwidgets"], self.parts, strict=True
        ):
            subwidget["part"] = part
            subwidget["label"] = label
            subwidget["width"] = width
        return context


class GovUKDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK error messages for each mistake."""

    widget = GovUKDateInput

    def __init__(self, *, past_only=False, future_only=False, **kwargs):
        self.past_only = past_only
        self.future_only = future_only
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        return data_list  # validated as a whole in clean()

    def clean(self, value):
        name = (self.label or "Date").strip()
        day, month, year = ((part or "").strip() for part in (value or ["", "", ""]))
        if not (day or month or year):
            if self.required:
                raise ValidationError(f"Enter {name.lower()}", code="required")
            return None
        missing = [
            part for part, text in (("day", day), ("month", month), ("year", year)) if not text
        ]
        if missing:
            raise ValidationError(
                f"{name} must include a {' and a '.join(missing)}", code="incomplete"
            )
        if not all(part.isascii() and part.isdigit() for part in (day, month, year)):
            raise ValidationError(f"{name} must be a real date", code="invalid")
        # A day or month of more than 2 figures is never real; checked before any arithmetic,
        # so "99999999999999999999" is a message, not an overflow.
        if len(day.lstrip("0")) > 2 or len(month.lstrip("0")) > 2:
            raise ValidationError(f"{name} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            date = dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(f"{name} must be a real date", code="invalid") from None
        today = dt.date.today()
        if self.past_only and date > today:
            raise ValidationError(f"{name} must be today or in the past", code="future")
        if self.future_only and date < today:
            raise ValidationError(f"{name} must be today or in the future", code="past")
        return date

    def has_changed(self, initial, data):
        try:
            return self.clean(data) != initial
        except ValidationError:
            return True


BLANK_LABEL = "---------"


class GovUKFormMixin:
    """Gives fields GOV.UK widgets and lets templates find errors in summary order."""

    default_renderer = GOVUK_RENDERER

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            govuk_field(field)

    def error_summary(self):
        """[(anchor, message)] in the order fields appear, for the GOV.UK error summary."""
        items = [(None, message) for message in self.non_field_errors()]
        for name in self.fields:
            bound = self[name]
            for message in bound.errors:
                items.append((govuk_anchor(bound), message))
        return items


def govuk_field(field) -> None:
    """Give a field GOV.UK widgets and messages: GovUKForm does it to every field it is made
    with; a form that adds fields later (rows of answers, say) calls it for each."""
    _govuk_messages(field)
    widget = field.widget
    if type(widget) is forms.RadioSelect:
        # Radios need no "nothing chosen" option: none checked says it.
        field.choices = [(v, label) for v, label in field.choices if v != ""]
        field.widget = GovUKRadioSelect(choices=field.choices)
    elif type(widget) is forms.CheckboxSelectMultiple:
        field.widget = GovUKCheckboxes(choices=field.choices)
    # A blank choice is read aloud by screen readers: give it words, not dashes.
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = "Choose"
    elif isinstance(field, forms.ChoiceField) and type(field.widget) is forms.Select:
        field.widget.choices = [
            (value, "Choose" if value == "" and label == BLANK_LABEL else label)
            for value, label in field.widget.choices
        ]


def _lower_first(label: str) -> str:
    """'First name' -> 'first name', but keep acronyms: 'NHS number' stays."""
    if len(label) > 1 and label[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def _govuk_messages(field) -> None:
    """Replace Django's generic messages with GOV.UK ones that name the field."""
    label = _lower_first(str(field.label or "this"))
    if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
        verb = (
            "Select"
            if isinstance(field, forms.ChoiceField | forms.MultipleChoiceField)
            else "Enter"
        )
        field.error_messages["required"] = f"{verb} {label}"
    if isinstance(field, forms.EmailField):
        field.error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )
    if isinstance(field, forms.ChoiceField):
        field.error_messages["invalid_choice"] = f"Select {label} from the list"  # noqa: S608 - not SQL
    if isinstance(field, forms.DecimalField):
        field.error_messages["invalid"] = f"{label[:1].upper()}{label[1:]} must be a number"
        field.error_messages["min_value"] = (
            f"{label[:1].upper()}{label[1:]} must be %(limit_value)s or more"
        )
        field.error_messages["max_value"] = (
            f"{label[:1].upper()}{label[1:]} must be %(limit_value)s or less"
        )
        field.error_messages["max_decimal_places"] = (
            f"{label[:1].upper()}{label[1:]} must have no more than %(max)s decimal places"
        )
        field.error_messages["max_digits"] = f"{label[:1].upper()}{label[1:]} is too large"
    if isinstance(field, forms.CharField) and field.max_length:
        field.error_messages["max_length"] = (
            f"{label[:1].upper()}{label[1:]} must be {field.max_length} characters or fewer"
        )


def govuk_anchor(bound_field) -> str:
    """The id the error summary links to: the first box of a date, the first radio or checkbox."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass


class MoneyField(forms.DecimalField):
    """Pounds and pence, typed as people type them: '£1,250.50' is fine."""

    def __init__(self, *, max_digits=14, min_value=Decimal("0"), **kwargs):
        kwargs.setdefault("decimal_places", 2)
        super().__init__(max_digits=max_digits, min_value=min_value, **kwargs)
        self.widget.input_type = "text"
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})
        self.govuk = {"width": 10, "prefix": "£"}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "")
        return super().to_python(value)

    def clean(self, value):
        amount = super().clean(value)
        return None if amount is None else amount.quantize(Decimal("0.01"))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        return attrs


def add_refusal(form, error) -> None:
    """Show an action's refusal on the form, above the fields: each broken business rule of a
    BusinessRuleViolation, or the single message of any other ActionError."""
    problems = getattr(error, "problems", None)
    for message in [p.message for p in problems] if problems else [error.message]:
        form.add_error(None, message)
