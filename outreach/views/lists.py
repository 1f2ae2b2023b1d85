"""Cross-client lists of plans, linkages and outcomes, with the same filters on screen and in CSV."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.audit import audit, audit_list
from accounts.decorators import role_required
from accounts.exports import csv_response
from accounts.listing import paginate, sort_queryset
from accounts.models import AuditAction
from outreach import selectors
from outreach.forms import LinkageFilterForm, OutcomeFilterForm, PlanFilterForm
from outreach.models import Linkage, Outcome, SupportPlan
from outreach.views.base import READERS


def _filters(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


@require_GET
@role_required(*READERS)
def plan_list(request):
    audit_list(request.user, SupportPlan)
    form = PlanFilterForm(request.GET or None)
    plans, current_sort = sort_queryset(
        request,
        selectors.plan_list(viewer=request.user, filters={**_filters(form), "today": timezone.localdate()}),
        {"made_on": "made_on", "next_review": "next_review_due", "client": "client__name_kana"},
        "next_review",
    )
    return render(
        request,
        "outreach/plan_list.html",
        {"form": form, "page": paginate(request, plans), "current_sort": current_sort},
    )


def _linkages(request):
    form = LinkageFilterForm(request.GET or None)
    linkages, current_sort = sort_queryset(
        request,
        selectors.linkage_list(viewer=request.user, filters=_filters(form)),
        {"date": "date", "resource": "resource__name", "client": "client__name_kana"},
        "-date",
    )
    return form, linkages, current_sort


@require_GET
@role_required(*READERS)
def linkage_list(request):
    audit_list(request.user, Linkage)
    form, linkages, current_sort = _linkages(request)
    return render(
        request,
        "outreach/linkage_list.html",
        {"form": form, "page": paginate(request, linkages), "current_sort": current_sort},
    )


@require_GET
@role_required(*READERS)
def linkage_csv(request):
    _form, linkages, _sort = _linkages(request)
    _audit_export(request, Linkage, "つなぎCSV")
    rows = (
        (
            link.date,
            link.client.number,
            link.client.name,
            link.client.agency.name,
            link.resource.get_kind_display(),
            link.resource.name,
            link.get_result_display(),
            link.note,
        )
        for link in linkages.iterator(chunk_size=2000)
    )
    header = ["日付", "ケース番号", "氏名", "機関", "つないだ先の種別", "つないだ先", "結果", "内容"]
    return csv_response(f"つなぎ_{timezone.localdate():%Y%m%d}.csv", header, rows)


def _outcomes(request):
    form = OutcomeFilterForm(request.GET or None)
    outcomes, current_sort = sort_queryset(
        request,
        selectors.outcome_list(viewer=request.user, filters=_filters(form)),
        {"date": "date", "kind": "kind", "client": "client__name_kana"},
        "-date",
    )
    return form, outcomes, current_sort


@require_GET
@role_required(*READERS)
def outcome_list(request):
    audit_list(request.user, Outcome)
    form, outcomes, current_sort = _outcomes(request)
    return render(
        request,
        "outreach/outcome_list.html",
        {"form": form, "page": paginate(request, outcomes), "current_sort": current_sort},
    )


@require_GET
@role_required(*READERS)
def outcome_csv(request):
    _form, outcomes, _sort = _outcomes(request)
    _audit_export(request, Outcome, "成果CSV")
    rows = (
        (o.date, o.client.number, o.client.name, o.client.agency.name, o.get_kind_display(), o.note)
        for o in outcomes.iterator(chunk_size=2000)
    )
    header = ["日付", "ケース番号", "氏名", "機関", "成果", "内容"]
    return csv_response(f"成果_{timezone.localdate():%Y%m%d}.csv", header, rows)


def _audit_export(request, model, label: str) -> None:
    audit(
        request.user,
        AuditAction.EXPORT,
        object_type=model._meta.label,
        organisation=request.user.organisation,
        detail=f"{label} 条件: {request.GET.urlencode() or 'なし'}",
    )
