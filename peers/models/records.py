"""Council reports (第5条3), separate accounts (第5条4) and health-centre activities (第4条2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from accounts.models import HealthCentre, Organisation, OrganisationKind
from accounts.tenancy import TenantModel, object_permission_models
from accounts.wareki import to_wareki
from peers.models.base import PeerRecord
from peers.models.contracts import Contract, Hospital

DEFAULT_COUNCIL = "精神障害者地域支援体制構築会議"


class CouncilReport(PeerRecord):
    """A report of outcomes, effects and issues at a district's council (要綱第5条3)."""

    date = models.DateField("報告日")
    council = models.CharField("協議の場", max_length=100, default=DEFAULT_COUNCIL)
    district = models.ForeignKey(
        HealthCentre, on_delete=models.PROTECT, related_name="+", verbose_name="区域（保健所）"
    )
    outcomes = models.TextField("報告した成果")
    effects = models.TextField("効果", blank=True)
    issues = models.TextField("明らかになった課題", blank=True)

    period_date_field = "date"

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = verbose_name_plural = "協議の場への報告"
        indexes = [
            models.Index(fields=["organisation", "date"], name="peers_council_org_date"),
            # Every contractor's reports newest first (the prefecture's list): read in index order.
            models.Index(fields=["date", "id"], name="peers_council_date_id"),
        ]

    def __str__(self) -> str:
        return f"{to_wareki(self.date)} {self.council}" if self.date else self.council

    def get_absolute_url(self) -> str:
        return reverse("peers:council_detail", args=[self.pk])


CouncilReportUserObjectPermission, CouncilReportGroupObjectPermission = object_permission_models(CouncilReport)


class ExpenseCategory(models.TextChoices):
    PERSONNEL = "personnel", "人件費"
    HONORARIA = "honoraria", "報償費・謝金"
    TRAVEL = "travel", "旅費"
    SUPPLIES = "supplies", "需用費"
    SERVICES = "services", "役務費"
    RENTAL = "rental", "使用料及び賃借料"
    OTHER = "other", "その他"


class Expenditure(PeerRecord):
    """One expense of the program, kept apart from the contractor's other business (要綱第5条4)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="expenditures", verbose_name="委託契約"
    )
    date = models.DateField("支出日")
    category = models.CharField("費目", max_length=20, choices=ExpenseCategory.choices)
    amount = models.PositiveIntegerField("金額（円）")
    payee = models.CharField("支払先", max_length=100)
    note = models.CharField("摘要", max_length=200, blank=True)

    period_date_field = "date"

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = verbose_name_plural = "経理（支出）"
        indexes = [
            models.Index(fields=["organisation", "date"], name="peers_expense_org_date"),
            # The prefecture's list of every contractor's spending, newest first, read in index order.
            models.Index(fields=["date", "id"], name="peers_expense_date_id"),
        ]

    def __str__(self) -> str:
        return f"{to_wareki(self.date)} {self.get_category_display()} {self.amount:,}円" if self.date else "支出"

    def get_absolute_url(self) -> str:
        return reverse("peers:expenditure_detail", args=[self.pk])

    def clean(self) -> None:
        if not self.contract_id:
            return
        if self.organisation_id and self.contract.organisation_id != self.organisation_id:
            raise ValidationError({"contract": "他の事業者の委託契約は選べません。"})
        if self.date and not self.contract.covers(self.date):
            raise ValidationError(
                {
                    "date": f"支出日は契約期間（{to_wareki(self.contract.start_date)}〜"
                    f"{to_wareki(self.contract.end_date)}）内の日付にしてください。"
                }
            )


ExpenditureUserObjectPermission, ExpenditureGroupObjectPermission = object_permission_models(Expenditure)


class HealthCentreActivityKind(models.TextChoices):
    AWARENESS = "awareness", "研修・シンポジウム等（普及啓発）"
    REQUEST = "request", "病院・施設等への協力要請"


class HealthCentreActivity(TenantModel):
    """A health centre's own activity (要綱第4条2): owned by the health centre, not a contractor."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.HEALTH_CENTRE},
        verbose_name="保健所",
    )
    date = models.DateField("実施日")
    kind = models.CharField(
        "種別",
        max_length=20,
        choices=HealthCentreActivityKind.choices,
        help_text="要綱第4条2(1) 研修・シンポジウム等の普及啓発、(2) 関係機関への協力の要請。",
    )
    title = models.CharField("件名", max_length=100)
    hospital = models.ForeignKey(
        Hospital,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="要請先の病院",
        help_text="病院への協力要請の場合に選びます。",
    )
    audience_municipalities = models.PositiveIntegerField("対象：市町村（人）", default=0)
    audience_hospitals = models.PositiveIntegerField("対象：病院（人）", default=0)
    audience_providers = models.PositiveIntegerField("対象：福祉サービス事業者（人）", default=0)
    audience_residents = models.PositiveIntegerField("対象：地域住民（人）", default=0)
    audience_others = models.PositiveIntegerField("対象：その他（人）", default=0)
    note = models.TextField("内容・備考", blank=True)

    staff_roles = ()
    program = None
    period_date_field = None

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = verbose_name_plural = "保健所の活動"
        indexes = [models.Index(fields=["organisation", "date"], name="peers_hcactivity_org_date")]

    def __str__(self) -> str:
        return f"{to_wareki(self.date)} {self.title}" if self.date else self.title

    def get_absolute_url(self) -> str:
        return reverse("peers:hc_activity_detail", args=[self.pk])

    @classmethod
    def scope_for_health_centre(cls, user, queryset):
        return queryset.filter(organisation_id=user.organisation.pk)

    @property
    def audience_total(self) -> int:
        return (
            self.audience_municipalities
            + self.audience_hospitals
            + self.audience_providers
            + self.audience_residents
            + self.audience_others
        )

    def clean(self) -> None:
        if self.kind == HealthCentreActivityKind.REQUEST and not self.hospital_id:
            raise ValidationError({"hospital": "病院への協力要請では、要請先の病院を選んでください。"})


HealthCentreActivityUserObjectPermission, HealthCentreActivityGroupObjectPermission = object_permission_models(
    HealthCentreActivity
)
