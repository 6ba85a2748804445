"""Signing in and out, the staff second factor, and the user's own account page."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import actions
from .forms import (
    ActivationCodeForm,
    ApiTokenForm,
    PasswordChangeForm,
    SecurityCodeForm,
    SignInForm,
)
from .models import ApiToken

SETUP_DEVICE_KEY = "otp_setup_device_id"


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def signed_out(request):
    return render(request, "accounts/signed_out.html")


def _next_url(request, default="home"):
    target = request.GET.get("next") or request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
def otp_verify(request):
    """Second step of a staff sign-in: the code from their authenticator app."""
    if not request.user.is_council_staff:
        raise Http404
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp-setup")
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(_next_url(request))
        allowed, _ = device.verify_is_allowed()
        form.add_error(
            "code",
            "The security code is not right. Check your app and try again"
            if allowed
            else "You have entered too many wrong codes. Wait a minute, then try again",
        )
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, "")}
    )


@never_cache  # it shows the authenticator's secret
@login_required
def otp_setup(request):
    """Link an authenticator app, in two steps.

    1. The activation code an administrator issued (a password alone is not enough);
    2. the secret (as a QR code and as text), then a code from the app to confirm it.
    The secret is shown only once the activation code has been accepted in this session.
    """
    if not request.user.is_council_staff:
        raise Http404
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp-verify")
    device_id = request.session.get(SETUP_DEVICE_KEY)
    device = (
        TOTPDevice.objects.filter(user=request.user, confirmed=False, pk=device_id).first()
        if device_id
        else None
    )
    if device is None:
        return _activation_step(request)
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            actions.confirm_authenticator(device, acting_user=request.user)
            request.session.pop(SETUP_DEVICE_KEY, None)
            otp_login(request, device)
            messages.success(
                request,
                "Your authenticator app is set up"
                + (". We have emailed you to say so" if request.user.email else ""),
            )
            return redirect(_next_url(request))
        allowed, _ = device.verify_is_allowed()
        form.add_error(
            "code",
            "The security code is not right. Check the app shows the code for this account"
            if allowed
            else "You have entered too many wrong codes. Wait a minute, then try again",
        )
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(buffer.getvalue().decode()),  # noqa: S308 - our own generated SVG
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request, ""),
        },
    )


def _activation_step(request):
    form = ActivationCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = actions.redeem_activation_code(
            request.user, form.cleaned_data["activation_code"], acting_user=request.user
        )
        if device is not None:
            request.session[SETUP_DEVICE_KEY] = device.pk
            return redirect(request.get_full_path())
        form.add_error(
            "activation_code",
            "The activation code is not right, or it has expired or been used. Check it, or "
            "ask your administrator for a new one",
        )
    return render(
        request, "accounts/otp_activate.html", {"form": form, "next": _next_url(request, "")}
    )


@never_cache  # it shows a new API token, once
@login_required
def profile(request):
    """The user's account: who they are, their authenticator apps and (for staff) API tokens."""
    new_token = None
    form = ApiTokenForm(request.POST or None) if request.user.is_council_staff else None
    if form is not None and request.method == "POST" and form.is_valid():
        _token, new_token = actions.issue_api_token(
            request.user,
            form.cleaned_data["name"],
            days=int(form.cleaned_data["expires_in"]),
            acting_user=request.user,
        )
        form = ApiTokenForm()
    tokens = request.user.api_tokens.all() if request.user.is_council_staff else []
    devices = (
        TOTPDevice.objects.filter(user=request.user, confirmed=True).order_by("created_at")
        if request.user.is_council_staff
        else []
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "tokens": tokens,
            "new_token": new_token,
            "devices": devices,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def revoke_token(request, pk):
    token = ApiToken.objects.filter(pk=pk, user=request.user, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    actions.revoke_api_token(token, acting_user=request.user)
    messages.success(request, f"The token ‘{token.name}’ no longer works")
    return redirect("accounts:profile")


@login_required
def change_password(request):
    """Change your own password. Every other session of yours ends; this one carries on."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.change_own_password(
            request.user, form.cleaned_data["new_password"], acting_user=request.user
        )
        # The session is tied to a hash of the password: refresh this one's, so only the
        # others (which still carry the old hash) are signed out.
        update_session_auth_hash(request, request.user)
        messages.success(
            request,
            "Your password has been changed. Anywhere else you were signed in, you have been signed out",
        )
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})
