"""Drill-down of the peer-support report: the records behind a count that no peers list filter expresses.

Figures such as "supporters registered in the 年度" or "people supported" are lists the peers
screens cannot filter to exactly; this page lists the very queryset the figure counted
(`peers.selectors.report.figure_queryset`). A coordinator sees only their own contractor's
records (another contractor's id → 404); prefecture staff any contractor's.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.audit import audit
from accounts.decorators import role_required
from accounts.listing import paginate
from accounts.models import AuditAction, Organisation, OrganisationKind, Role
from accounts.wareki import fiscal_year_label, to_wareki
from peers.selectors.report import figure_queryset
from reporting.registry import display

FIGURE_TITLES = {
    "supporters_registered": "登録者数（年度内に活動可能だった人）",
    "supporters_new": "年度内の新規登録",
    "supporters_pledged": "年度末に有効な誓約書があるピアサポーター",
    "supporters_trained": "養成講座の修了により登録したピアサポーター",
    "supporters_paused": "休止中のピアサポーター",
    "supporters_ended": "終了したピアサポーター",
    "people_supported": "支援した人（実人数）",
    "supporter_turns": "ピアサポーターの活動（活動時間・謝金）",
    "trainees_trainees": "養成講座の受講者",
    "trainees_completions": "養成講座の修了者",
    "trainees_registered": "修了後ピアサポーターに登録した人",
}


def _columns(figure: str):
    if figure.startswith("supporters_"):
        return ["氏名", "フリガナ", "活動開始日", "状態"], lambda s: (
            (s.name, reverse("peers:supporter_detail", args=[s.pk])),
            s.name_kana,
            to_wareki(s.start_date),
            s.get_status_display(),
        )
    if figure == "people_supported":
        return ["対象者コード", "病院", "支援開始日", "退院日"], lambda p: (
            (p.code, reverse("peers:person_detail", args=[p.pk])),
            p.hospital.name if p.hospital else "",
            to_wareki(p.support_started_on),
            to_wareki(p.discharged_on) if p.discharged_on else "",
        )
    if figure == "supporter_turns":
        return ["活動日", "種別", "ピアサポーター", "活動時間（時間）", "謝金（円）"], lambda turn: (
            (to_wareki(turn.activity.date), reverse("peers:activity_detail", args=[turn.activity_id])),
            turn.activity.get_kind_display(),
            turn.supporter.name,
            display(turn.hours),
            display(turn.pay),
        )
    return ["氏名", "講座", "修了", "ピアサポーター登録"], lambda t: (
        (t.name, reverse("peers:course_detail", args=[t.course_id])),
        str(t.course),
        "修了" if t.completed else "",
        "登録済み" if t.supporter_id else "",
    )


@require_GET
@role_required(Role.PREFECTURE, Role.COORDINATOR)
def peer_figure_records(request):
    user = request.user
    figure = request.GET.get("figure", "")
    if figure not in FIGURE_TITLES:
        raise Http404("見つかりません")
    try:
        fiscal_year = int(request.GET.get("fiscal_year", ""))
        contractor_id = int(request.GET.get("contractor", ""))
    except ValueError as error:
        raise Http404("見つかりません") from error
    contractors = Organisation.objects.filter(kind=OrganisationKind.CONTRACTOR)
    if user.role == Role.COORDINATOR:
        contractors = contractors.filter(pk=user.organisation_id_or_none)
    organisation = contractors.filter(pk=contractor_id).first()
    if organisation is None:
        audit(user, AuditAction.PERMISSION_DENIED, object_type="accounts.Organisation", object_id=str(contractor_id))
        raise Http404("見つかりません")
    queryset = figure_queryset(figure, organisation=organisation, fiscal_year=fiscal_year)
    if figure == "people_supported":
        queryset = queryset.select_related("hospital")
    elif figure.startswith("trainees_"):
        queryset = queryset.select_related("course")
    elif figure == "supporter_turns":
        queryset = queryset.select_related("activity", "supporter").order_by("activity__date", "activity_id")
    page = paginate(request, queryset.order_by(*queryset.query.order_by, "pk"))
    headers, cells = _columns(figure)
    audit(user, AuditAction.VIEW, object_type=queryset.model._meta.label, detail=request.GET.urlencode())
    return render(
        request,
        "reporting/peer_figure_records.html",
        {
            "title": FIGURE_TITLES[figure],
            "organisation": organisation,
            "year_label": fiscal_year_label(fiscal_year),
            "headers": headers,
            "rows": [cells(obj) for obj in page.object_list],
            "page": page,
            "count": page.paginator.count,
        },
    )
