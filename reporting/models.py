"""The annual performance report (実績報告書) and its workflow history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Program, Role, one_per_unit_and_year
from accounts.tenancy import TenantModel, object_permission_models
from accounts.wareki import fiscal_year_label
from reporting.storage import approved_pdf_name, private_storage


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "作成中"
    SUBMITTED = "submitted", "提出済み（審査待ち）"
    RETURNED = "returned", "差戻し"
    APPROVED = "approved", "承認済み"


#: The program each contractor role works in: a coordinator sees peer-support reports, a worker outreach.
ROLE_PROGRAM = {Role.COORDINATOR: Program.PEER_SUPPORT, Role.OUTREACH_WORKER: Program.OUTREACH}

#: Free-text sections in display order: (field name, heading).
TEXT_FIELDS = (
    ("outcomes_text", "事業の成果"),
    ("effects_text", "事業の効果"),
    ("issues_text", "課題及び今後の取組"),
)


def placed_agencies(user):
    """The agencies an outreach worker is placed in now (a subquery): the outreach reports they write."""
    from outreach.models import OutreachWorker

    return OutreachWorker.objects.filter(user_id=user.pk, is_active=True).values("agency_id")


class AnnualReport(TenantModel):
    """A 実績報告書 for one 年度.

    Peer support reports per contractor (要綱000 第5条6); outreach per agency (要綱004, DOMAIN.md).
    """

    history = HistoricalRecords(excluded_fields=["updated_at"])

    program = models.CharField("事業", max_length=20, choices=Program.choices)
    agency = models.ForeignKey(
        "outreach.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_reports",
        verbose_name="自立相談支援機関",
        help_text="アウトリーチ事業の報告書は機関ごとに作成します。",
    )
    fiscal_year = models.PositiveSmallIntegerField("年度（西暦）")
    status = models.CharField("状態", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    outcomes_text = models.TextField("事業の成果", blank=True)
    effects_text = models.TextField("事業の効果", blank=True)
    issues_text = models.TextField("課題及び今後の取組", blank=True)
    submitted_at = models.DateTimeField("提出日時", null=True, blank=True)
    approved_at = models.DateTimeField("承認日時", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承認者",
    )
    reopened_at = models.DateTimeField(
        "確定解除日時",
        null=True,
        blank=True,
        help_text="承認後に確定解除され、まだ再承認されていない場合に設定されます。",
    )
    approved_pdf = models.FileField(
        "承認時のPDF", storage=private_storage, upload_to=approved_pdf_name, blank=True, editable=False
    )

    class Meta:
        constraints = [
            *one_per_unit_and_year("unique_annual_report", "unique_agency_annual_report"),
            models.CheckConstraint(
                condition=models.Q(program=Program.OUTREACH, agency__isnull=False)
                | (~models.Q(program=Program.OUTREACH) & models.Q(agency__isnull=True)),
                name="annual_report_agency_only_for_outreach",
            ),
        ]
        indexes = [models.Index(fields=["fiscal_year", "program", "status"])]
        ordering = ["-fiscal_year", "organisation__code", "program"]
        verbose_name = verbose_name_plural = "実績報告書"

    staff_roles = (Role.COORDINATOR, Role.OUTREACH_WORKER)

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)} {self.get_program_display()} 実績報告書（{self.reporter_name}）"

    @classmethod
    def scope_for_contractor_staff(cls, user, queryset):
        """Coordinators see their contractor's peer-support reports; outreach workers their own agency's."""
        queryset = queryset.filter(program=ROLE_PROGRAM[user.role])
        if user.role == Role.OUTREACH_WORKER:
            queryset = queryset.filter(agency__in=placed_agencies(user))
        return queryset

    @property
    def reporter_name(self) -> str:
        """Who reports: the contractor, and for outreach its agency (受託事業者　機関名)."""
        return f"{self.organisation}　{self.agency}" if self.agency_id else str(self.organisation)

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def was_reopened(self) -> bool:
        return self.reopened_at is not None


AnnualReportUserObjectPermission, AnnualReportGroupObjectPermission = object_permission_models(AnnualReport)


class ReportTransition(models.Model):
    """One step of the workflow: who moved the report from which state to which, when, and why."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="transitions", verbose_name="実績報告書"
    )
    from_status = models.CharField("変更前", max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField("変更後", max_length=20, choices=ReportStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作者",
    )
    at = models.DateTimeField("日時", default=timezone.now)
    comment = models.TextField("コメント", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "実績報告書の経過"

    def __str__(self) -> str:
        return f"{self.report}: {self.get_from_status_display() or '—'} → {self.get_to_status_display()}"

    @property
    def action_label(self) -> str:
        return TRANSITION_LABELS.get((self.from_status, self.to_status), self.get_to_status_display())


TRANSITION_LABELS = {
    ("", ReportStatus.DRAFT): "作成",
    (ReportStatus.DRAFT, ReportStatus.SUBMITTED): "提出",
    (ReportStatus.RETURNED, ReportStatus.SUBMITTED): "再提出",
    (ReportStatus.SUBMITTED, ReportStatus.RETURNED): "差戻し",
    (ReportStatus.SUBMITTED, ReportStatus.APPROVED): "承認",
    (ReportStatus.APPROVED, ReportStatus.RETURNED): "確定解除（再提出を依頼）",
}
