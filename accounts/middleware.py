"""Council staff must complete their second factor before they see anything else."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from core.rows import get_row

ALWAYS_ALLOWED = ("/static/", "/api/", "/accessibility/", "/privacy/", "/feedback/")


def second_factor_required(user) -> bool:
    return (
        settings.STAFF_OTP == "required"
        and user.is_authenticated
        and user.is_council_staff
        and not user.is_verified()
    )


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if second_factor_required(request.user) and not self._exempt(request.path):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
            target = "accounts:otp-verify" if has_device else "accounts:otp-setup"
            return redirect(f"{reverse(target)}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        if path.startswith(ALWAYS_ALLOWED):
            return True
        return path in {
            reverse("accounts:otp-verify"),
            reverse("accounts:otp-setup"),
            reverse("accounts:logout"),
            reverse("accounts:login"),
        }


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware, with the session's authenticator app read by plain SQL
    (core.rows): every staff request reads it again, so a removed or unconfirmed device stops
    counting at once. Other kinds of device are read as django-otp reads them."""

    def _device_from_persistent_id(self, persistent_id: str):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label != TOTPDevice._meta.label_lower or not device_id.isdigit():
            return super()._device_from_persistent_id(persistent_id)
        return get_row(TOTPDevice, equal={"pk": int(device_id)})
