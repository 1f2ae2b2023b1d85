"""Master data and the contract: hospitals, 委託契約 (第3条) and coordinators (第2条(1))."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from accounts.models import HealthCentre
from accounts.tenancy import object_permission_models
from accounts.wareki import fiscal_year_bounds, fiscal_year_label, fiscal_year_of, to_wareki
from peers.models.base import PeerRecord


class Hospital(models.Model):
    """A psychiatric hospital in a district: master data the prefecture maintains (第4条1(1)ア)."""

    name = models.CharField("病院名", max_length=100)
    health_centre = models.ForeignKey(
        HealthCentre, on_delete=models.PROTECT, related_name="peer_hospitals", verbose_name="区域（保健所）"
    )
    address = models.CharField("所在地", max_length=200, blank=True)
    is_active = models.BooleanField("有効", default=True)
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        ordering = ["health_centre__sort_order", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["health_centre", "name"], name="peers_unique_hospital_name")]
        verbose_name = verbose_name_plural = "精神科病院"

    def __str__(self) -> str:
        return self.name


class Contract(PeerRecord):
    """委託契約: one per contractor and 年度, covering one or more districts (第2条(3), 第3条)."""

    fiscal_year = models.PositiveSmallIntegerField("年度（西暦）", help_text="例：令和8年度なら 2026")
    amount = models.PositiveBigIntegerField("契約金額（円）")
    districts = models.ManyToManyField(
        HealthCentre,
        related_name="peer_contracts",
        verbose_name="担当区域（保健所）",
        help_text="区域は原則として連携する保健所の担当区域です（要綱第2条(3)）。",
    )
    start_date = models.DateField("契約期間（開始）")
    end_date = models.DateField("契約期間（終了）")
    note = models.TextField("備考", blank=True)

    period_date_field = "start_date"

    class Meta:
        ordering = ["-fiscal_year", "organisation__code"]
        verbose_name = verbose_name_plural = "委託契約"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fiscal_year"], name="peers_one_contract_per_year"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="peers_contract_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)} {self.organisation.name if self.organisation_id else ''}".strip()

    def get_absolute_url(self) -> str:
        return reverse("peers:contract_detail", args=[self.pk])

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date

    def clean(self) -> None:
        if self.fiscal_year and self.start_date and self.end_date:
            first, last = fiscal_year_bounds(self.fiscal_year)
            errors = {}
            if not first <= self.start_date <= last:
                errors["start_date"] = (
                    f"開始日は{fiscal_year_label(self.fiscal_year)}（{to_wareki(first)}〜{to_wareki(last)}）の日付にしてください。"
                )
            if not first <= self.end_date <= last:
                errors["end_date"] = (
                    f"終了日は{fiscal_year_label(self.fiscal_year)}（{to_wareki(first)}〜{to_wareki(last)}）の日付にしてください。"
                )
            elif self.end_date < self.start_date:
                errors["end_date"] = "終了日は開始日以降にしてください。"
            if errors:
                raise ValidationError(errors)


ContractUserObjectPermission, ContractGroupObjectPermission = object_permission_models(Contract)


def pick_contract(contracts, day: date) -> Contract | None:
    """The rule on contracts already loaded: the one whose 年度 and period contain `day` (lowest pk)."""
    year = fiscal_year_of(day)
    matching = [c for c in contracts if c.fiscal_year == year and c.start_date <= day <= c.end_date]
    return min(matching, key=lambda c: c.pk, default=None)


def contract_for(organisation_id: int, day: date) -> Contract | None:
    """The contract of this contractor whose 年度 and period contain `day`."""
    return pick_contract(Contract.objects.filter(organisation_id=organisation_id, fiscal_year=fiscal_year_of(day)), day)


class Qualification(models.TextChoices):
    PSW = "psw", "精神保健福祉士"
    EQUIVALENT = "equivalent", "同等程度の知識を有する者"


class Coordinator(PeerRecord):
    """ピアサポートコーディネーター: 精神保健福祉士 or equivalent (第2条(1))."""

    name = models.CharField("氏名", max_length=60)
    name_kana = models.CharField("フリガナ", max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peer_coordinator_records",
        verbose_name="ログインアカウント",
        help_text="このシステムを利用している場合は、そのアカウントを選びます（活動入力の初期値になります）。",
    )
    qualification = models.CharField(
        "資格",
        max_length=20,
        choices=Qualification.choices,
        default=Qualification.PSW,
        help_text="精神保健福祉士又はこれと同等程度の知識を有する者（要綱第2条(1)）。",
    )
    psw_registration_number = models.CharField("精神保健福祉士 登録番号", max_length=20, blank=True)
    equivalent_note = models.TextField(
        "同等程度と判断した理由", blank=True, help_text="「同等程度」の場合は必須です（経験年数・研修歴など）。"
    )
    is_active = models.BooleanField("在籍中", default=True)

    class Meta:
        ordering = ["organisation__code", "-is_active", "name_kana", "name"]
        verbose_name = verbose_name_plural = "ピアサポートコーディネーター"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("peers:coordinator_detail", args=[self.pk])

    def clean(self) -> None:
        if self.qualification == Qualification.PSW and not self.psw_registration_number.strip():
            raise ValidationError({"psw_registration_number": "精神保健福祉士の場合は登録番号を入力してください。"})
        if self.qualification == Qualification.EQUIVALENT and not self.equivalent_note.strip():
            raise ValidationError({"equivalent_note": "「同等程度」の場合は、その理由を入力してください。"})


CoordinatorUserObjectPermission, CoordinatorGroupObjectPermission = object_permission_models(Coordinator)
