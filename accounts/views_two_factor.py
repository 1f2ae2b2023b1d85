"""Screens of the second factor: verify at log-in, enrol, manage backup codes."""

from __future__ import annotations

from base64 import b32encode

import django_otp
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import audit
from accounts.models import AuditAction
from accounts.two_factor import (
    has_second_factor,
    new_backup_codes,
    pending_totp_device,
    qr_code_svg,
    remove_second_factor,
    verify_any_device,
)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="確認コード",
        max_length=16,
        help_text="認証アプリに表示される6桁の数字、またはバックアップコードを入力してください。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if form.is_valid():
        device = verify_any_device(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            audit(request.user, AuditAction.LOGIN, detail="2段階認証に成功")
            return redirect(_next_url(request))
        audit(request.user, AuditAction.LOGIN_FAILED, detail="2段階認証の確認コードが誤り")
        form.add_error(
            "token", "確認コードが正しくありません。時刻のずれがないか確認し、新しいコードを入力してください。"
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def setup(request):
    if has_second_factor(request.user):
        return redirect("two_factor_manage")
    device = pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save()
            django_otp.login(request, device)
            codes = new_backup_codes(request.user)
            audit(request.user, AuditAction.UPDATE, object_type="two_factor", detail="認証アプリを登録")
            messages.success(request, "2段階認証を設定しました。バックアップコードを安全な場所に控えてください。")
            return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error(
            "token", "確認コードが正しくありません。認証アプリに表示されている最新のコードを入力してください。"
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr_code_svg(device.config_url),
            "secret": _base32_secret(device),
            "next": _next_url(request),
        },
    )


def _base32_secret(device) -> str:
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET"])
def manage(request):
    return render(
        request,
        "accounts/two_factor_manage.html",
        {"enrolled": has_second_factor(request.user), "required": request.user.two_factor_required},
    )


@require_POST
def regenerate_backup_codes(request):
    if not request.user.is_verified():
        return redirect("two_factor_verify")
    codes = new_backup_codes(request.user)
    audit(request.user, AuditAction.UPDATE, object_type="two_factor", detail="バックアップコードを再発行")
    messages.success(request, "新しいバックアップコードを発行しました。以前のコードは使えなくなりました。")
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": "/"})


@require_POST
def disable(request):
    if request.user.two_factor_required:
        messages.error(request, "あなたの役割・組織では2段階認証が必須のため、解除できません。")
    elif request.user.is_verified():
        remove_second_factor(request.user)
        audit(request.user, AuditAction.UPDATE, object_type="two_factor", detail="2段階認証を解除")
        messages.success(request, "2段階認証を解除しました。")
    return redirect("two_factor_manage")
