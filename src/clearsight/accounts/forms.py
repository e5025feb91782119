from __future__ import annotations

from django import forms

from clearsight.access.roles import ROLE_CHOICES
from clearsight.areas.models import Agency
from clearsight.core.forms import GovukForm


class SignInForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        max_length=256,
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code shown in the app on your phone",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "data-width-class": "govuk-input--width-10",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        return code


class RecoveryCodeForm(GovukForm):
    code = forms.CharField(
        label="Recovery code",
        help_text="One of the codes you saved when you set up your account, like abcde-23456",
        max_length=40,
        error_messages={"required": "Enter one of your recovery codes"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "data-width-class": "govuk-input--width-20",
            }
        ),
    )


class SetPasswordForm(GovukForm):
    password = forms.CharField(
        label="Create a password",
        help_text=(
            "Use at least 12 characters. A few unrelated words make a strong password that is "
            "easy to remember. Do not use a password you use elsewhere."
        ),
        max_length=256,
        strip=False,
        error_messages={"required": "Enter a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="Enter the password again",
        max_length=256,
        strip=False,
        error_messages={"required": "Enter the password again"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (
            data.get("password")
            and data.get("password_again")
            and data["password"] != data["password_again"]
        ):
            self.add_error("password_again", "The passwords do not match")
        return data


class ChooseMembershipForm(GovukForm):
    membership = forms.TypedChoiceField(
        label="Which role are you acting in?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the role you are acting in"},
    )

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = choices  # type: ignore[attr-defined]


class RoleFields(GovukForm):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={
            "required": "Choose the agency",
            "invalid_choice": "Choose an agency from the list",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Choose a role"), *ROLE_CHOICES],
        error_messages={
            "required": "Choose the role",
            "invalid_choice": "Choose a role from the list",
        },
    )

    def __init__(self, *args: object, agencies: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class InviteForm(RoleFields):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the person's full name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        error_messages={
            "required": "Enter the person's work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["full_name", "email", "agency", "role"]


class SuspendForm(GovukForm):
    reason = forms.CharField(
        label="Why are you suspending this account?",
        help_text="This is kept in the audit log.",
        max_length=500,
        error_messages={"required": "Enter why you are suspending this account"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label="Token name",
        help_text="What will use it, for example “Weekly MASH export script”",
        max_length=100,
        error_messages={"required": "Enter a name for the token"},
    )
    days = forms.IntegerField(
        label="Expires after (days)",
        initial=90,
        min_value=1,
        max_value=365,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "data-width-class": "govuk-input--width-4"}
        ),
        error_messages={
            "required": "Enter how many days the token should last",
            "invalid": "Enter a whole number of days",
            "min_value": "Enter a number of days from 1 to 365",
            "max_value": "Enter a number of days from 1 to 365",
        },
    )


class LineManagerForm(GovukForm):
    """Choices are offered as a list; which are allowed is decided once, by the service
    (accounts.services.set_line_manager), so the form takes any number."""

    membership = forms.IntegerField(
        label="Role",
        widget=forms.Select(),
        error_messages={"required": "Choose the role", "invalid": "Choose the role"},
    )
    line_manager = forms.IntegerField(
        label="Line manager",
        help_text="They are sent reminders about this person's overdue work.",
        required=False,
        widget=forms.Select(),
        error_messages={"invalid": "Choose a line manager from the list"},
    )

    def __init__(
        self,
        *args: object,
        roles: list[tuple[int, str]],
        managers: list[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].widget.choices = roles
        self.fields["line_manager"].widget.choices = [
            ("", "No line manager"),
            *managers,
        ]
