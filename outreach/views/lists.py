"""Cross-client lists of plans, plan reviews, linkages and outcomes, with the same filters on screen and in CSV."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.audit import audit_list
from accounts.decorators import role_required
from accounts.exports import audited_export
from accounts.listing import paginate, sort_queryset
from outreach import selectors
from outreach.exports import wareki_or_blank
from outreach.forms import LinkageFilterForm, OutcomeFilterForm, PlanFilterForm, PlanReviewFilterForm
from outreach.models import Linkage, Outcome, PlanReview, SupportPlan
from outreach.views.base import READERS


def _filters(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


def _sorted(request, form_class, selector, sorts: dict[str, str], default: str, **extra_filters):
    """The filter form, the filtered records in the order asked for, and that order."""
    form = form_class(request.GET or None)
    records, current_sort = sort_queryset(
        request, selector(viewer=request.user, filters={**_filters(form), **extra_filters}), sorts, default
    )
    return form, records, current_sort


def _render_list(request, template: str, form, records, current_sort: str):
    return render(request, template, {"form": form, "page": paginate(request, records), "current_sort": current_sort})


def _plans(request):
    sorts = {"made_on": "made_on", "next_review": "review_due_on", "client": "client__name_kana"}
    return _sorted(request, PlanFilterForm, selectors.plan_list, sorts, "next_review", today=timezone.localdate())


@require_GET
@role_required(*READERS)
def plan_list(request):
    audit_list(request.user, SupportPlan)
    return _render_list(request, "outreach/plan_list.html", *_plans(request))


@require_GET
@role_required(*READERS)
def plan_csv(request):
    _form, plans, _sort = _plans(request)
    header = [
        *("作成日", "作成日（和暦）", "ケース番号", "氏名", "機関", "目標", "支援の種類・内容"),
        *("見直し回数", "次回見直し", "次回見直し（和暦）"),
    ]
    rows = (
        (
            plan.made_on,
            wareki_or_blank(plan.made_on),
            plan.client.number,
            plan.client.name,
            plan.client.agency.name,
            plan.goals,
            plan.planned_supports,
            plan.review_count,
            plan.review_due_on,
            wareki_or_blank(plan.review_due_on),
        )
        for plan in plans.iterator(chunk_size=2000)
    )
    return audited_export(request, model=SupportPlan, filename_stem="支援計画", header=header, rows=rows)


def _plan_reviews(request):
    sorts = {"reviewed_on": "reviewed_on", "next_review": "next_review_on", "client": "plan__client__name_kana"}
    return _sorted(request, PlanReviewFilterForm, selectors.plan_review_list, sorts, "-reviewed_on")


@require_GET
@role_required(*READERS)
def plan_review_list(request):
    audit_list(request.user, PlanReview)
    return _render_list(request, "outreach/plan_review_list.html", *_plan_reviews(request))


@require_GET
@role_required(*READERS)
def plan_review_csv(request):
    _form, reviews, _sort = _plan_reviews(request)
    header = [
        *("見直し日", "見直し日（和暦）", "ケース番号", "氏名", "機関", "計画の作成日", "計画の作成日（和暦）"),
        *("評価・見直しの内容", "次回見直し予定日", "次回見直し予定日（和暦）"),
    ]
    rows = (
        (
            review.reviewed_on,
            wareki_or_blank(review.reviewed_on),
            review.plan.client.number,
            review.plan.client.name,
            review.plan.client.agency.name,
            review.plan.made_on,
            wareki_or_blank(review.plan.made_on),
            review.summary,
            review.next_review_on,
            wareki_or_blank(review.next_review_on),
        )
        for review in reviews.iterator(chunk_size=2000)
    )
    return audited_export(request, model=PlanReview, filename_stem="支援計画の見直し", header=header, rows=rows)


def _linkages(request):
    sorts = {"date": "date", "resource": "resource__name", "client": "client__name_kana"}
    return _sorted(request, LinkageFilterForm, selectors.linkage_list, sorts, "-date")


@require_GET
@role_required(*READERS)
def linkage_list(request):
    audit_list(request.user, Linkage)
    return _render_list(request, "outreach/linkage_list.html", *_linkages(request))


@require_GET
@role_required(*READERS)
def linkage_csv(request):
    _form, linkages, _sort = _linkages(request)
    header = ["日付", "日付（和暦）", "ケース番号", "氏名", "機関", "つないだ先の種別", "つないだ先", "結果", "内容"]
    rows = (
        (
            link.date,
            wareki_or_blank(link.date),
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
    return audited_export(request, model=Linkage, filename_stem="つなぎ", header=header, rows=rows)


def _outcomes(request):
    sorts = {"date": "date", "kind": "kind", "client": "client__name_kana"}
    return _sorted(request, OutcomeFilterForm, selectors.outcome_list, sorts, "-date")


@require_GET
@role_required(*READERS)
def outcome_list(request):
    audit_list(request.user, Outcome)
    return _render_list(request, "outreach/outcome_list.html", *_outcomes(request))


@require_GET
@role_required(*READERS)
def outcome_csv(request):
    _form, outcomes, _sort = _outcomes(request)
    header = ["日付", "日付（和暦）", "ケース番号", "氏名", "機関", "成果", "内容"]
    rows = (
        (
            o.date,
            wareki_or_blank(o.date),
            o.client.number,
            o.client.name,
            o.client.agency.name,
            o.get_kind_display(),
            o.note,
        )
        for o in outcomes.iterator(chunk_size=2000)
    )
    return audited_export(request, model=Outcome, filename_stem="成果", header=header, rows=rows)
