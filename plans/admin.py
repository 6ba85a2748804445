"""Administrators set approvers' authority limits here, through plans.actions (audited)."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from accounts.roles import Role
from core.money import format_pence, from_pence, to_pence
from core.permissions import is_administrator
from core.rules import problems
from ui.forms import MoneyField

from . import actions, rules
from .models import AuthorityLimit


class AuthorityLimitForm(forms.ModelForm):
    weekly = MoneyField(
        label="Weekly limit (£)",
        help_text="The most a week a plan may cost for this approver to approve it alone; "
        "above it, the plan goes to the funding panel",
    )

    class Meta:
        model = AuthorityLimit
        fields = ["user"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(role=Role.APPROVER, is_active=True)
        if self.instance.pk:
            self.fields["weekly"].initial = from_pence(self.instance.weekly_pence)
            self.fields["user"].disabled = True

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        weekly = cleaned.get("weekly")
        if user is not None and weekly is not None:
            for problem in problems(
                (rules.AuthorityLimitForApprovers, rules.AuthorityLimitNotNegative),
                user,
                weekly_pence=to_pence(weekly),
            ):
                self.add_error(None, problem.message)
        return cleaned


@admin.register(AuthorityLimit)
class AuthorityLimitAdmin(SimpleHistoryAdmin):
    form = AuthorityLimitForm
    list_display = ["user", "limit", "set_by", "set_at"]
    list_select_related = ["user", "set_by"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    @admin.display(description="Weekly limit")
    def limit(self, obj):
        return format_pence(obj.weekly_pence)

    def _allowed(self, request) -> bool:
        return is_administrator(request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def save_model(self, request, obj, form, change):
        user = obj.user
        saved = actions.set_authority_limit(
            user, acting_user=request.user, weekly_pence=to_pence(form.cleaned_data["weekly"])
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        actions.remove_authority_limit(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for limit in queryset:
            actions.remove_authority_limit(limit, acting_user=request.user)
