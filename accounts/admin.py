"""Administrators manage users, roles, teams and second factors here; audit records are read-only.

Every write goes through accounts.actions (save_model, delete_model, the password form and
the admin actions call them). Reads of personal data are logged: a page listing accounts of
people who use services writes an access-log row for each of those people, and a read of
the access log or of break-glass grants writes a row to the audit trail. Those two lists show
ids, not names, and never the free-text reasons.
"""

import contextvars

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from core import rules as business_rules
from core.actions import ActionError

from . import actions
from .models import AccessEvent, AccessGrant, ApiToken, Team, User
from .rules import OwnAccessUnchanged

# The administrator whose request is being handled, for the password form (which Django's
# admin builds without the request).
_request_user: contextvars.ContextVar = contextvars.ContextVar("admin_request_user")


def _log_people_shown(request, user_ids, *, via: str, view: bool = False) -> None:
    """An access-log row for each person whose own account appears on an admin page."""
    from people import access
    from people.models import Person

    people = list(Person.objects.filter(user_id__in=list(user_ids)).values_list("pk", flat=True))
    if people:
        access.log_listing(
            request.user,
            people,
            via=via,
            action=AccessEvent.Action.VIEW if view else AccessEvent.Action.LIST,
            purpose=AccessEvent.Purpose.ADMINISTRATION,
        )


def _shown_rows(response):
    """The objects a changelist response lists (evaluated once, shared with the template)."""
    context = getattr(response, "context_data", None) or {}
    changelist = context.get("cl")
    if changelist is None:
        return None
    return list(changelist.result_list)


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "area"]
    search_fields = ["name", "code", "area"]
    prepopulated_fields = {"code": ["name"]}

    def save_model(self, request, obj, form, change):
        if change:
            values = {name: form.cleaned_data[name] for name in form.changed_data}
            team = Team.objects.get(pk=obj.pk)
            actions.update_team(team, values, acting_user=request.user)
            obj.refresh_from_db()
        else:
            actions.create_team(obj, acting_user=request.user)

    def delete_model(self, request, obj):
        try:
            actions.delete_team(obj, acting_user=request.user)
        except ActionError as error:
            messages.error(request, error.message)

    def delete_queryset(self, request, queryset):
        for team in queryset:
            self.delete_model(request, team)


class PasswordForm(AdminPasswordChangeForm):
    """Django's admin password form, writing through the set_password action."""

    def save(self, commit=True):
        password = (
            self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        )
        actions.set_password(self.user, password, acting_user=_request_user.get())
        return self.user


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "team",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "team", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    list_select_related = ["team"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Personal details", {"fields": ["first_name", "last_name", "email", "job_title"]}),
        (
            "Role and team",
            {
                "fields": ["role", "team"],
                "description": "Nobody can change their own role, team or access: another "
                "administrator does it.",
            },
        ),
        (
            "Access",
            {
                "fields": ["is_active", "is_staff", "is_superuser", "groups"],
                "description": "‘Staff status’ lets someone into this administration site.",
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "first_name",
                    "last_name",
                    "role",
                    "team",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    # A plain multiple choice: the two-box widget's script puts aria-label on a bare span,
    # which assistive technology ignores (axe: aria-prohibited-attr).
    filter_horizontal = ()
    change_password_form = PasswordForm
    change_form_template = "admin/accounts/user/change_form.html"

    # Accounts are switched off, never deleted: the audit trail and access log point at them.
    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        administrator = request.user

        class Form(form_class):
            def clean(self):
                cleaned = super().clean()
                if self.instance.pk:
                    found = business_rules.problems(
                        [OwnAccessUnchanged],
                        self.instance,
                        acting_user=administrator,
                        changed=self.changed_data,
                    )
                    for problem in found:
                        raise ValidationError(problem.message, code=problem.code)
                return cleaned

        return Form

    def save_model(self, request, obj, form, change):
        if not change:
            actions.create_user(obj, acting_user=request.user)
            return
        fields = {f.name for f in User._meta.get_fields()}
        values = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in fields and name != "password"
        }
        actions.update_user(User.objects.get(pk=obj.pk), values, acting_user=request.user)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Groups were written by the action in save_model; only inline formsets remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def user_change_password(self, request, id, form_url=""):
        token = _request_user.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _request_user.reset(token)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        rows = _shown_rows(response)
        if rows:
            _log_people_shown(request, [u.pk for u in rows], via="admin:accounts.user.list")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        target = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "second_factor_tools": target is not None and target.is_council_staff,
            "is_own_account": target is not None and target.pk == request.user.pk,
        }
        response = super().change_view(request, object_id, form_url, extra_context)
        if target is not None:
            _log_people_shown(request, [target.pk], via="admin:accounts.user.change", view=True)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if object_id and str(object_id).isdigit():
            _log_people_shown(
                request, [int(object_id)], via="admin:accounts.user.history", view=True
            )
        return response

    # Second factor: issue an activation code, or reset a lost authenticator app.

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<id>/activation-code/",
                wrap(self.activation_code_view),
                name="accounts_user_activation_code",
            ),
            path(
                "<id>/reset-authenticator/",
                wrap(self.reset_authenticator_view),
                name="accounts_user_reset_authenticator",
            ),
            *super().get_urls(),
        ]

    def _target(self, request, id, permission):
        target = self.get_object(request, unquote(id))
        if target is None:
            raise Http404
        if not (
            self.has_change_permission(request, target)
            and request.user.has_perm(permission, target)
        ):
            raise PermissionDenied
        return target

    def _page(self, request, template, target, **context):
        response = TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": target,
                "title": context.pop("title"),
                "change_url": reverse("admin:accounts_user_change", args=[target.pk]),
                "devices": TOTPDevice.objects.filter(user=target).order_by("created_at"),
                **context,
            },
        )
        add_never_cache_headers(response)
        return response

    def activation_code_view(self, request, id):
        target = self._target(request, id, "accounts.issue_activation_code")
        issued, refusal = None, None
        if request.method == "POST":
            try:
                issued = actions.issue_activation_code(target, acting_user=request.user)
            except ActionError as error:
                refusal = error.message
        return self._page(
            request,
            "admin/accounts/user/activation_code.html",
            target,
            title=f"Activation code for {target.username}",
            issued=issued,
            refusal=refusal,
        )

    def reset_authenticator_view(self, request, id):
        target = self._target(request, id, "accounts.reset_second_factor")
        if request.method == "POST":
            try:
                count = actions.reset_second_factor(target, acting_user=request.user)
            except ActionError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    f"Removed {count} authenticator app(s) from {target.username}. Issue an "
                    "activation code so they can set up again.",
                )
            return redirect("admin:accounts_user_change", target.pk)
        return self._page(
            request,
            "admin/accounts/user/reset_authenticator.html",
            target,
            title=f"Reset the authenticator app of {target.username}",
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedReadAdmin(ReadOnlyAdmin):
    """A read-only list whose every read (list or one row) is written to the audit trail."""

    read_label = "rows"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        rows = _shown_rows(response)
        if rows is not None:
            search = request.GET.get("q", "").strip()
            actions.record_admin_read(
                self.model,
                [row.pk for row in rows],
                acting_user=request.user,
                what=f"Read {len(rows)} {self.read_label} in administration"
                + (f", searching for ‘{search[:60]}’" if search else ""),
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        row = self.get_object(request, unquote(object_id))
        if row is not None and getattr(response, "status_code", 200) == 200:
            actions.record_admin_read(
                self.model,
                [row.pk],
                acting_user=request.user,
                what=f"Read one of the {self.read_label} in administration",
                person=row.person,
            )
        return response

    @admin.display(description="User id", ordering="user_id")
    def user_ref(self, obj):
        return obj.user_id

    @admin.display(description="Person id", ordering="person_id")
    def person_ref(self, obj):
        return obj.person_id if obj.person_id else "–"

    @admin.display(description="Council ID")
    def council_id(self, obj):
        return obj.person.council_person_id if obj.person_id else "–"


@admin.register(AccessEvent)
class AccessEventAdmin(AuditedReadAdmin):
    read_label = "rows of the access log"
    list_display = [
        "occurred_at",
        "user_ref",
        "person_ref",
        "council_id",
        "action",
        "purpose_shown",
        "via",
    ]
    list_filter = ["action"]
    search_fields = ["user__username", "=person__council_person_id", "requested_ref"]
    list_select_related = ["person"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False
    fields = [
        "occurred_at",
        "user_ref",
        "person_ref",
        "council_id",
        "requested_ref",
        "action",
        "purpose_shown",
        "reason",
        "via",
    ]
    readonly_fields = fields

    @admin.display(description="Purpose")
    def purpose_shown(self, obj):
        return obj.purpose_label


@admin.register(AccessGrant)
class AccessGrantAdmin(AuditedReadAdmin):
    read_label = "break-glass grants"
    list_display = ["granted_at", "user_ref", "person_ref", "council_id", "expires_at"]
    search_fields = ["user__username", "=person__council_person_id"]
    list_select_related = ["person"]
    fields = ["granted_at", "expires_at", "user_ref", "person_ref", "council_id", "reason"]
    readonly_fields = fields


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "key_hash",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are made by their owner, who sees the value once

    def has_change_permission(self, request, obj=None):
        return False  # nothing to change: revoke with the action

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = sum(
            actions.revoke_api_token(token, acting_user=request.user)
            for token in queryset.filter(revoked_at__isnull=True)
        )
        self.message_user(request, f"{count} token(s) revoked")


# django-otp's own admin shows each device's secret key and lets anyone add a device: replace
# it with a read-only list. Devices are added by their owner with an activation code and
# removed with "Reset authenticator app" on the user's page.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields
