"""Sign-in, second factor and API token forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from ui.forms import GovUKForm, GovUKFormMixin


class SignInForm(GovUKFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive",
        "inactive": "This account has been switched off. Contact your administrator",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].govuk = {"width": 20, "spellcheck": False}
        self.fields["password"].govuk = {"width": 20}

    def error_summary(self):
        # A wrong username or password belongs to the username box, so the link has somewhere to go.
        return [
            ("id_username" if anchor is None else anchor, message)
            for anchor, message in super().error_summary()
        ]


class SecurityCodeForm(GovUKForm):
    code = forms.CharField(
        label="Security code",
        max_length=6,
        min_length=6,
        help_text="The 6-digit code shown in your authenticator app",
        error_messages={
            "required": "Enter the security code",
            "min_length": "Security code must be 6 numbers",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].govuk = {"width": 5, "spellcheck": False}
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code"}
        )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError("Security code must only include numbers")
        return code


class ApiTokenForm(GovUKForm):
    EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "1 year")]

    name = forms.CharField(
        label="What is the token for?",
        max_length=100,
        help_text="For example, ‘Nightly export to the finance system’",
        error_messages={"required": "Enter what the token is for"},
    )
    expires_in = forms.ChoiceField(
        label="When should it stop working?",
        choices=EXPIRY_CHOICES,
        initial="90",
        widget=forms.RadioSelect,
    )
