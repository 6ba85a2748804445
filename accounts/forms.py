"""Sign-in, second factor and API token forms."""

from django import forms
from django.contrib.auth import password_validation
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


class ActivationCodeForm(GovUKForm):
    activation_code = forms.CharField(
        label="Activation code",
        max_length=40,
        help_text="The 12 letters and numbers your administrator gave you, like ABCD-EFGH-JKLM",
        error_messages={"required": "Enter the activation code your administrator gave you"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activation_code"].govuk = {"width": 20, "spellcheck": False}
        self.fields["activation_code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters"}
        )

    def clean_activation_code(self):
        code = "".join(self.cleaned_data["activation_code"].split()).replace("-", "").upper()
        if len(code) != 12 or not code.isalnum():
            raise forms.ValidationError(
                "Activation code must be 12 letters and numbers, like ABCD-EFGH-JKLM"
            )
        return code


# Django's password messages, said the GOV.UK way (the validators' codes are Django's own).
PASSWORD_MESSAGES = {
    "password_too_short": "Your new password must be at least 12 characters",
    "password_too_common": "Your new password is one of the most used passwords: choose another",
    "password_entirely_numeric": "Your new password must not be only numbers",
    "password_too_similar": "Your new password must not be like your name, username or email",
    "password_repeated": "Your new password must not be the same character, or the same few "
    "characters, repeated (like ‘aaaaaaaaaaaa’)",
}


class PasswordChangeForm(GovUKForm):
    """Change your own password: the current one, then the new one twice."""

    current_password = forms.CharField(
        label="Current password",
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )
    new_password = forms.CharField(
        label="New password",
        strip=False,
        max_length=200,
        help_text="At least 12 characters. A few words together are easy to remember and hard to guess",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password"},
    )
    confirm_password = forms.CharField(
        label="Confirm new password",
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your new password again"},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].govuk = {"width": 20, "spellcheck": False}

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Your current password is not right")
        return password

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        try:
            password_validation.validate_password(password, self.user)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                [PASSWORD_MESSAGES.get(e.code, e.messages[0]) for e in error.error_list]
            ) from None
        return password

    def clean(self):
        cleaned = super().clean()
        new, again = cleaned.get("new_password"), cleaned.get("confirm_password")
        if new and again and new != again:
            self.add_error("confirm_password", "The passwords you entered do not match")
        current = cleaned.get("current_password")
        if new and current and new == current:
            self.add_error(
                "new_password", "Your new password must be different from your current one"
            )
        return cleaned
