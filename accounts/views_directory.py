"""Prefecture staff register organisations and their users, reset passwords and second factors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts import directory
from accounts.decorators import role_required
from accounts.forms import MemberForm, NewMemberForm, OrganisationForm
from accounts.mixins import add_validation_errors
from accounts.models import Organisation, Role, User
from accounts.two_factor import has_second_factor


def _member_or_404(pk: int) -> User:
    return get_object_or_404(User.objects.filter(membership__isnull=False), pk=pk)


@require_http_methods(["GET", "POST"])
@role_required(Role.PREFECTURE)
def organisation_edit(request, pk: int | None = None):
    organisation = get_object_or_404(Organisation, pk=pk) if pk else Organisation()
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            directory.save_organisation(form.instance, by=request.user)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"組織「{organisation.name}」を{'変更' if pk else '登録'}しました。")
            return redirect("accounts:organisation_detail", organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@require_http_methods(["GET", "POST"])
@role_required(Role.PREFECTURE)
def member_create(request, organisation_pk: int):
    organisation = get_object_or_404(Organisation, pk=organisation_pk, is_active=True)
    form = NewMemberForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            user = directory.create_member(
                form.instance,
                organisation=organisation,
                role=form.cleaned_data["role"],
                password=form.cleaned_data["password1"],
                by=request.user,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                f"利用者「{user.display_name}」を登録しました。初期パスワードを本人に安全な方法で伝えてください。",
            )
            return redirect("accounts:organisation_detail", organisation.pk)
    return render(request, "accounts/member_form.html", {"form": form, "organisation": organisation})


@require_http_methods(["GET", "POST"])
@role_required(Role.PREFECTURE)
def member_edit(request, pk: int):
    member = _member_or_404(pk)
    organisation = member.membership.organisation
    form = MemberForm(request.POST or None, instance=member, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            directory.update_member(form.instance, role=form.cleaned_data["role"], by=request.user)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"利用者「{member.display_name}」の情報を変更しました。")
            return redirect("accounts:organisation_detail", organisation.pk)
    context = {
        "form": form,
        "organisation": organisation,
        "member": member,
        "has_second_factor": has_second_factor(member),
    }
    return render(request, "accounts/member_form.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.PREFECTURE)
def member_password(request, pk: int):
    member = _member_or_404(pk)
    form = SetPasswordForm(member, request.POST or None)
    form.fields["new_password1"].label = "新しいパスワード"
    form.fields["new_password2"].label = "新しいパスワード（確認）"
    if request.method == "POST" and form.is_valid():
        directory.set_temporary_password(member, form.cleaned_data["new_password1"], by=request.user)
        messages.success(
            request,
            f"「{member.display_name}」のパスワードを再設定しました。ログイン中の端末はすべてログアウトされます。",
        )
        return redirect("accounts:member_edit", member.pk)
    return render(request, "accounts/member_password.html", {"form": form, "member": member})


@require_http_methods(["GET", "POST"])
@role_required(Role.PREFECTURE)
def member_two_factor_reset(request, pk: int):
    member = _member_or_404(pk)
    if request.method == "POST":
        directory.reset_second_factor(member, by=request.user)
        messages.success(
            request, f"「{member.display_name}」の2段階認証を初期化しました。次回ログイン時に再登録します。"
        )
        return redirect("accounts:member_edit", member.pk)
    return render(request, "accounts/member_two_factor_reset.html", {"member": member})
