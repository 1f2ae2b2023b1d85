"""Report screens: list, overview, the report page with its workflow panel, PDF and Excel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.audit import audit
from accounts.decorators import role_required
from accounts.exports import audited_export, wants_export
from accounts.history import change_history
from accounts.listing import paginate
from accounts.models import AuditAction, Role
from accounts.wareki import fiscal_year_label, to_wareki
from reporting import services
from reporting.excel import report_workbook
from reporting.forms import ActionForm, ReportFilterForm, ReportStartForm, ReportTextsForm, YearForm
from reporting.models import ROLE_PROGRAM, AnnualReport, ReportStatus
from reporting.pdf import JapaneseFontMissing, report_pdf_bytes, report_pdf_filename
from reporting.registry import overview_panels
from reporting.selectors import (
    report_document,
    report_for_page,
    report_overview,
    report_rows,
    report_year_choices,
    report_year_default,
    reports_visible_to,
    sort_rows,
)

CONTRACTOR_ROLES = (Role.COORDINATOR, Role.OUTREACH_WORKER)
REPORT_ROLES = (Role.PREFECTURE, *CONTRACTOR_ROLES)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    ascii_name = "report." + filename.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


def _local_wareki(moment) -> str:
    return to_wareki(timezone.localtime(moment)) if moment else ""


def _year(form) -> int:
    return (form.cleaned_data.get("fiscal_year") if form.is_valid() else None) or report_year_default()


@require_GET
@role_required(*REPORT_ROLES)
def report_list(request):
    user = request.user
    is_prefecture = user.role == Role.PREFECTURE
    form = ReportFilterForm(request.GET or None, years=report_year_choices(), show_program=is_prefecture)
    filters = form.cleaned_data if form.is_valid() else {}
    fiscal_year = _year(form)
    rows = report_rows(
        viewer=user,
        fiscal_year=fiscal_year,
        program=filters.get("program", ""),
        status=filters.get("status", ""),
        query=filters.get("q", ""),
    )
    rows, current_sort = sort_rows(rows, request.GET.get("sort", "organisation"))
    if wants_export(request):
        return audited_export(
            request,
            model=AnnualReport,
            filename_stem=f"{fiscal_year_label(fiscal_year)}_実績報告書一覧",
            header=["年度", "受託事業者", "機関", "事業", "状態", "提出日", "承認日", "差戻し・確定解除のコメント"],
            rows=(
                (
                    fiscal_year_label(row.fiscal_year),
                    row.organisation.name,
                    row.agency.name if row.agency else "",
                    row.program_label,
                    row.status_label,
                    _local_wareki(row.report.submitted_at if row.report else None),
                    _local_wareki(row.report.approved_at if row.report else None),
                    row.last_comment,
                )
                for row in rows
            ),
        )
    return render(
        request,
        "reporting/report_list.html",
        {
            "form": form,
            "page": paginate(request, rows),
            "current_sort": current_sort,
            "fiscal_year": fiscal_year,
            "is_prefecture": is_prefecture,
            "own_reports": [] if is_prefecture else reports_visible_to(user).order_by("-fiscal_year"),
        },
    )


@require_POST
@role_required(*CONTRACTOR_ROLES)
def report_start(request):
    program = ROLE_PROGRAM[request.user.role]
    form = ReportStartForm(request.POST, user=request.user, program=program)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("reporting:report_list")
    try:
        report = services.report_get_or_create_draft(
            organisation=request.user.organisation,
            program=program,
            fiscal_year=form.cleaned_data["fiscal_year"],
            by=request.user,
            agency=form.cleaned_data.get("agency"),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("reporting:report_list")
    messages.success(request, f"{report.fiscal_year_label}の実績報告書を開きました。成果・課題などを記入してください。")
    return redirect("reporting:report_detail", pk=report.pk)


def _can_edit(user, report) -> bool:
    return user.role in CONTRACTOR_ROLES and report.is_editable


@require_GET
@role_required(*REPORT_ROLES)
def report_detail(request, pk: int):
    report = report_for_page(request.user, pk)
    return _render_detail(request, report)


def _render_detail(request, report, texts_form=None):
    document = report_document(report)
    builder = document["builder"]
    user = request.user
    if texts_form is None and _can_edit(user, report):
        texts_form = ReportTextsForm(instance=report, text_fields=builder.text_fields)
    findings = services.report_findings(report) if report.status != ReportStatus.APPROVED else []
    returns = [t for t in document["transitions"] if t.to_status == ReportStatus.RETURNED]
    context = {
        **document,
        "texts_form": texts_form,
        "findings": findings,
        "has_errors": any(f.is_error for f in findings),
        "actions": [(key, spec) for key, spec in ACTIONS.items() if spec.available(user, report)],
        "latest_return": returns[-1] if report.status == ReportStatus.RETURNED and returns else None,
        "change_history": change_history(report),
    }
    return render(request, "reporting/report_detail.html", context)


@require_POST
@role_required(*CONTRACTOR_ROLES)
def report_texts(request, pk: int):
    report = report_for_page(request.user, pk, action="change")
    builder_fields = report_document(report)["builder"].text_fields
    form = ReportTextsForm(request.POST, instance=report, text_fields=builder_fields)
    if form.is_valid():
        try:
            services.report_update_texts(
                report=report, by=request.user, **{name: form.cleaned_data[name] for name in builder_fields}
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("reporting:report_detail", pk=report.pk)
        messages.success(request, "記述を保存しました。")
        return redirect("reporting:report_detail", pk=report.pk)
    report.refresh_from_db()
    return _render_detail(request, report, texts_form=form)


@dataclass(frozen=True)
class Action:
    label: str
    roles: tuple[str, ...]
    states: tuple[str, ...]
    service: Callable
    argument: str
    field_label: str
    required: bool
    explanation: str
    done: str
    button_class: str = "primary"

    @property
    def url_name(self) -> str:
        return f"reporting:report_{self.service.__name__.removeprefix('report_')}"

    def available(self, user, report) -> bool:
        return user.role in self.roles and report.status in self.states


ACTIONS = {
    "submit": Action(
        label="県に提出する",
        roles=CONTRACTOR_ROLES,
        states=(ReportStatus.DRAFT, ReportStatus.RETURNED),
        service=services.report_submit,
        argument="comment",
        field_label="県へのコメント（任意）",
        required=False,
        explanation="提出すると、県が審査を終えるまで記述を変更できません。",
        done="実績報告書を県に提出しました。",
    ),
    "return": Action(
        label="差し戻す",
        roles=(Role.PREFECTURE,),
        states=(ReportStatus.SUBMITTED,),
        service=services.report_return,
        argument="comment",
        field_label="差戻しの理由（修正してほしい点）",
        required=True,
        explanation="受託事業者に修正を依頼します。入力した理由は受託事業者の画面に表示されます。",
        done="実績報告書を差し戻しました。",
        button_class="danger",
    ),
    "approve": Action(
        label="承認する",
        roles=(Role.PREFECTURE,),
        states=(ReportStatus.SUBMITTED,),
        service=services.report_approve,
        argument="comment",
        field_label="コメント（任意）",
        required=False,
        explanation=(
            "承認すると、この受託事業者の当該年度・事業の記録は確定し、登録・変更・削除ができなくなります。"
            "承認時のPDFが保存され、以後のダウンロードはこのPDFになります。"
        ),
        done="実績報告書を承認し、年度の記録を確定しました。",
    ),
    "reopen": Action(
        label="確定を解除する",
        roles=(Role.PREFECTURE,),
        states=(ReportStatus.APPROVED,),
        service=services.report_reopen,
        argument="reason",
        field_label="確定解除の理由",
        required=True,
        explanation=(
            "確定を解除すると、当該年度の記録を再び変更できるようになり、報告書は「差戻し」に戻ります。"
            "解除は監査ログに記録されます。承認時のPDFは再承認まで保存されたままです。"
        ),
        done="年度の確定を解除し、報告書を受託事業者に戻しました。",
        button_class="danger",
    ),
}


@require_http_methods(["GET", "POST"])
@role_required(*REPORT_ROLES)
def report_action(request, pk: int, action: str):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("見つかりません")
    user = request.user
    # Another organisation's report is 404 whatever the action; the role check comes second.
    report = report_for_page(user, pk, action="change" if user.role in CONTRACTOR_ROLES else "view")
    if user.role not in spec.roles:
        audit(user, AuditAction.PERMISSION_DENIED, report, detail=f"実績報告書の操作「{action}」は権限外")
        raise PermissionDenied("この操作を行う権限がありません。")
    if request.method == "GET" and report.status not in spec.states:
        messages.error(request, f"この実績報告書は「{report.get_status_display()}」のため、この操作はできません。")
        return redirect("reporting:report_detail", pk=report.pk)
    form = ActionForm(
        request.POST if request.method == "POST" else None, label=spec.field_label, required=spec.required
    )
    if request.method == "POST" and form.is_valid():
        try:
            spec.service(report=report, by=user, **{spec.argument: form.cleaned_data["comment"]})
        except JapaneseFontMissing as error:
            messages.error(request, error.message)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, spec.done)
            return redirect("reporting:report_detail", pk=report.pk)
        if report.status not in spec.states:
            return redirect("reporting:report_detail", pk=report.pk)
    findings = services.report_findings(report) if action == "submit" else []
    return render(
        request,
        "reporting/report_confirm.html",
        {"report": report, "spec": spec, "action": action, "form": form, "findings": findings},
    )


@require_GET
@role_required(*REPORT_ROLES)
def report_pdf(request, pk: int):
    report = report_for_page(request.user, pk)
    if request.GET.get("version") == "approved" and report.approved_pdf:
        # After a reopening, the PDF as it was last approved stays available until re-approval.
        with report.approved_pdf.open("rb") as stored:
            content = stored.read()
        audit(request.user, AuditAction.EXPORT, report, detail="PDF（前回承認時）")
        return _download(content, report_pdf_filename(report).replace(".pdf", "_前回承認時.pdf"), "application/pdf")
    try:
        content = report_pdf_bytes(report)
    except JapaneseFontMissing as error:
        messages.error(request, error.message)
        return redirect("reporting:report_detail", pk=report.pk)
    audit(request.user, AuditAction.EXPORT, report, detail="PDF")
    return _download(content, report_pdf_filename(report), "application/pdf")


@require_GET
@role_required(*REPORT_ROLES)
def report_xlsx(request, pk: int):
    report = report_for_page(request.user, pk)
    content = report_workbook(report_document(report))
    audit(request.user, AuditAction.EXPORT, report, detail="Excel")
    return _download(
        content,
        report_pdf_filename(report, "xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_GET
@role_required(Role.PREFECTURE)
def overview(request):
    form = YearForm(request.GET or None, years=report_year_choices())
    fiscal_year = _year(form)
    return render(
        request,
        "reporting/overview.html",
        {
            "form": form,
            "fiscal_year": fiscal_year,
            "overview": report_overview(viewer=request.user, fiscal_year=fiscal_year),
            "panels": overview_panels(fiscal_year),
        },
    )
