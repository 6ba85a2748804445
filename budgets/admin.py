"""Administrators set the funding panel threshold here, through budgets.actions (audited).
A threshold is never changed or deleted: a new one, from a later date, replaces it."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.money import format_pence, to_pence
from core.permissions import is_administrator
from ui.forms import MoneyField

from . import actions
from .models import PanelThreshold


class PanelThresholdForm(forms.ModelForm):
    weekly = MoneyField(
        label="Threshold a week (£)",
        help_text="A budget further above its indicative amount than this, a week, needs a "
        "funding panel decision",
    )

    class Meta:
        model = PanelThreshold
        fields = ["effective_from"]


@admin.register(PanelThreshold)
class PanelThresholdAdmin(SimpleHistoryAdmin):
    form = PanelThresholdForm
    list_display = ["threshold", "effective_from", "set_by"]
    list_select_related = ["set_by"]

    @admin.display(description="Threshold a week")
    def threshold(self, obj):
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
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = actions.set_panel_threshold(
            acting_user=request.user,
            weekly_pence_=to_pence(form.cleaned_data["weekly"]),
            effective_from=form.cleaned_data["effective_from"],
        )
        obj.pk = saved.pk
        obj.refresh_from_db()
