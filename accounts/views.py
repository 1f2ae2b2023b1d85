from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts import home as home_panels
from accounts.audit import audit
from accounts.decorators import role_required
from accounts.exports import audited_export, export_response, wants_export
from accounts.forms import AuditFilterForm, OrganisationFilterForm
from accounts.listing import paginate, sort_queryset
from accounts.models import AuditAction, AuditEvent, Organisation, OrganisationKind, Role
from accounts.selectors import audit_events, districts, organisation_list
from accounts.wareki import fiscal_year_label, fiscal_year_of


@require_GET
def home(request):
    user = request.user
    today = timezone.localdate()
    context = {
        "membership": user.active_membership,
        "fiscal_year": fiscal_year_of(today),
        "fiscal_year_label": fiscal_year_label(fiscal_year_of(today)),
        "panels": home_panels.panels_for(request) if user.role else [],
    }
    if user.role == Role.PREFECTURE:
        context["contractors"] = Organisation.objects.filter(kind=OrganisationKind.CONTRACTOR).annotate(
            member_count=Count("memberships")
        )
        context["district_count"] = districts().count()
    elif user.role == Role.HEALTH_CENTRE:
        context["health_centre"] = districts().filter(organisation=user.organisation).first()
    return render(request, "accounts/home.html", context)


@require_GET
@role_required(Role.PREFECTURE)
def organisation_list_view(request):
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations, current_sort = sort_queryset(
        request,
        organisation_list(kind=filters.get("kind", ""), query=filters.get("q", "")),
        {"code": "code", "name": "name", "kind": "kind"},
        "kind",
    )
    if wants_export(request):
        return export_response(
            request,
            filename_stem="組織一覧",
            header=["組織コード", "名称", "フリガナ", "種別", "保健所", "受託事業", "2段階認証", "状態", "利用者数"],
            rows=(
                (
                    o.code,
                    o.name,
                    o.name_kana,
                    o.get_kind_display(),
                    o.health_centre.name if o.health_centre else "",
                    "・".join(
                        label
                        for runs, label in ((o.runs_peer_support, "ピアサポート"), (o.runs_outreach, "アウトリーチ"))
                        if runs
                    ),
                    "必須" if o.require_two_factor or o.kind == OrganisationKind.PREFECTURE else "任意",
                    "有効" if o.is_active else "無効",
                    o.member_count,
                )
                for o in organisations
            ),
        )
    return render(
        request,
        "accounts/organisation_list.html",
        {"form": form, "page": paginate(request, organisations), "current_sort": current_sort},
    )


@require_GET
@role_required(Role.PREFECTURE)
def organisation_detail(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.select_related("health_centre"), pk=pk)
    members = organisation.memberships.select_related("user").order_by("user__username")
    return render(request, "accounts/organisation_detail.html", {"organisation": organisation, "members": members})


@require_GET
@role_required(Role.PREFECTURE, Role.HEALTH_CENTRE)
def district_list(request):
    return render(request, "accounts/district_list.html", {"districts": districts()})


@require_GET
@role_required(Role.PREFECTURE)
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(filters=filters)
    if wants_export(request):
        return audited_export(
            request,
            model=AuditEvent,
            filename_stem="監査ログ",
            header=[
                *("日時", "ユーザー名", "操作", "対象の種類", "対象の種類（コード）", "対象ID", "対象"),
                *("組織", "IPアドレス", "URL", "詳細"),
            ],
            rows=(
                (
                    e.at,
                    e.username,
                    e.get_action_display(),
                    e.object_type_label,
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    e.organisation.name if e.organisation else "",
                    e.ip_address,
                    e.path,
                    e.detail,
                )
                for e in events.iterator(chunk_size=2000)
            ),
        )
    return render(request, "accounts/audit_list.html", {"form": form, "page": paginate(request, events)})


@require_http_methods(["GET", "POST"])
@role_required(Role.PREFECTURE)
def lockout_list(request):
    """Users locked out by repeated log-in failures, and the unlock that prefecture staff may grant."""
    if request.method == "POST":
        username = request.POST.get("username", "")
        removed = axes_reset(username=username)
        audit(
            request.user,
            AuditAction.UPDATE,
            object_type="axes.AccessAttempt",
            object_id=username[:64],
            detail=f"ログイン制限の解除（{removed}件）",
        )
        messages.success(request, f"「{username}」のログイン制限を解除しました。")
        return redirect("accounts:lockout_list")
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by(
        "-attempt_time"
    )
    return render(request, "accounts/lockout_list.html", {"attempts": attempts})


@login_not_required
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
