"""TOTP two-factor authentication (django-otp): enrolment with a QR code, verification, backup codes."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
SESSION_NO_SECOND_FACTOR = "accounts_no_second_factor"


def qr_code_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user), created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=False)


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with fresh single-use ones; shown once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="バックアップコード")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_any_device(user, token: str):
    """The confirmed device (TOTP or backup code) the token matches, or None."""
    token = token.strip().replace(" ", "")
    for device in devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device
    return None


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def remove_second_factor(user) -> None:
    for device in devices_for_user(user, confirmed=None):
        device.delete()
