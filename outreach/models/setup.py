"""Set-up records kept by the prefecture: agencies, contracts, workers, the cohort, the resource directory."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from accounts.models import Municipality, Role
from accounts.tenancy import object_permission_models
from accounts.wareki import fiscal_year_bounds, fiscal_year_label, fiscal_year_of, to_wareki
from outreach.models.base import AgencyScopedModel


class CohortSetting(models.Model):
    """おおむね就職氷河期世代 (要綱004 3(2)ア): a birth cohort the prefecture can adjust. One row."""

    birth_from = models.DateField("生年月日（から）", default=date(1970, 4, 2))
    birth_to = models.DateField("生年月日（まで）", default=date(1986, 4, 1))
    school_leaving_from = models.PositiveSmallIntegerField("学卒年（から）", default=1993)
    school_leaving_to = models.PositiveSmallIntegerField("学卒年（まで）", default=2004)
    note = models.TextField("備考", blank=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "就職氷河期世代の範囲"

    def __str__(self) -> str:
        return f"{to_wareki(self.birth_from)}〜{to_wareki(self.birth_to)}生まれ"

    def clean(self) -> None:
        if self.birth_from and self.birth_to and self.birth_from >= self.birth_to:
            raise ValidationError({"birth_to": "「まで」は「から」より後の日付にしてください。"})
        if self.school_leaving_from and self.school_leaving_to and self.school_leaving_from > self.school_leaving_to:
            raise ValidationError({"school_leaving_to": "学卒年の「まで」は「から」以降にしてください。"})

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> CohortSetting:
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def contains(self, birth_date: date) -> bool:
        return self.birth_from <= birth_date <= self.birth_to


class SocialResourceKind(models.TextChoices):
    HIKIKOMORI_CENTRE = "hikikomori_centre", "ひきこもり地域支援センター"
    YOUTH_STATION = "youth_station", "地域若者サポートステーション"
    HELLO_WORK = "hello_work", "ハローワーク"
    EMPLOYMENT_PREPARATION = "employment_preparation", "就労準備支援事業"
    HOUSEHOLD_FINANCE = "household_finance", "家計改善支援事業"
    WELFARE_OFFICE = "welfare_office", "福祉事務所"
    HEALTH_CENTRE = "health_centre", "保健所"
    MEDICAL = "medical", "医療機関"
    PLACE_TO_BELONG = "place_to_belong", "居場所"
    SELF_HELP = "self_help", "自助グループ"
    ICE_AGE_PLATFORM = "ice_age_platform", "就職氷河期世代活躍支援プラットフォーム"
    OTHER = "other", "その他の関係機関"


class SocialResource(models.Model):
    """社会資源の一覧: where people are linked to (要綱004 3(4)ウ〜サ). Kept by the prefecture."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("種別", max_length=30, choices=SocialResourceKind.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所在市町村"
    )
    address = models.CharField("所在地", max_length=200, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True)
    note = models.TextField("備考", blank=True)
    is_active = models.BooleanField("利用可", default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = verbose_name_plural = "社会資源"

    def __str__(self) -> str:
        return self.name


class Agency(AgencyScopedModel):
    """自立相談支援機関, run by a contractor, serving some municipalities."""

    agency_path = "pk"
    period_date_field = None  # a standing organisation, not a record of one 年度

    name = models.CharField("機関名", max_length=100)
    municipalities = models.ManyToManyField(
        Municipality, related_name="+", verbose_name="担当市町村", help_text="この機関が相談を受ける市町村"
    )
    address = models.CharField("所在地", max_length=200, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True)
    is_active = models.BooleanField("有効", default=True)

    class Meta:
        ordering = ["organisation__code", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="outreach_unique_agency_name")]
        verbose_name = verbose_name_plural = "自立相談支援機関"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        same_name = Agency.objects.filter(organisation_id=self.organisation_id, name=self.name)
        if self.organisation_id and self.name and same_name.exclude(pk=self.pk).exists():
            raise ValidationError({"name": "この受託事業者に同じ名前の機関が既にあります。"})


AgencyUserObjectPermission, AgencyGroupObjectPermission = object_permission_models(Agency)


class OutreachContract(AgencyScopedModel):
    """委託契約: one per agency and 年度, set up by the prefecture (要綱004 2)."""

    period_date_field = "start_date"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contracts", verbose_name="機関")
    fiscal_year = models.PositiveSmallIntegerField("年度（西暦）")
    amount = models.PositiveBigIntegerField("契約金額（円）")
    start_date = models.DateField("契約期間（開始）")
    end_date = models.DateField("契約期間（終了）")
    note = models.TextField("備考", blank=True)

    class Meta:
        ordering = ["-fiscal_year", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="outreach_unique_contract_per_year"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="outreach_contract_period"
            ),
        ]
        verbose_name = verbose_name_plural = "委託契約（アウトリーチ）"

    def __str__(self) -> str:
        return f"{self.agency} {fiscal_year_label(self.fiscal_year)}"

    def clean(self) -> None:
        if self.agency_id and self.organisation_id and self.agency.organisation_id != self.organisation_id:
            raise ValidationError({"agency": "機関の受託事業者と契約の受託事業者が一致しません。"})
        same_year = OutreachContract.objects.filter(agency_id=self.agency_id, fiscal_year=self.fiscal_year)
        if self.agency_id and self.fiscal_year and same_year.exclude(pk=self.pk).exists():
            raise ValidationError(
                {"fiscal_year": f"この機関の{fiscal_year_label(self.fiscal_year)}の契約は既に登録されています。"}
            )
        if self.fiscal_year and self.start_date and self.end_date:
            first, last = fiscal_year_bounds(self.fiscal_year)
            if self.end_date < self.start_date:
                raise ValidationError({"end_date": "終了日は開始日以降にしてください。"})
            if not (first <= self.start_date and self.end_date <= last):
                raise ValidationError(
                    {"end_date": f"契約期間は{fiscal_year_label(self.fiscal_year)}の範囲内にしてください。"}
                )


OutreachContractUserObjectPermission, OutreachContractGroupObjectPermission = object_permission_models(OutreachContract)


class Qualification(models.TextChoices):
    """要綱004 3(3) ア〜カ."""

    TRAINING = "a", "ア 国の養成研修修了者"
    LICENSED = "i", "イ 社会福祉士・精神保健福祉士・保健師"
    CONSULTATION = "u", "ウ 相談支援業務5年以上"
    SOCIAL_WELFARE_OFFICER = "e", "エ 社会福祉主事（社会福祉法第19条第1項）"
    WELFARE_WORK = "o", "オ 社会福祉事業2年以上"
    EQUIVALENT = "ka", "カ 同等以上の能力を有すると認められる者"


class TrainingCourse(models.TextChoices):
    CHIEF = "chief", "主任相談支援員養成研修"
    CONSULTATION = "consultation", "相談支援員養成研修"
    EMPLOYMENT = "employment", "就労支援員養成研修"


class WelfareLicence(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "社会福祉士"
    PSW = "psw", "精神保健福祉士"
    PUBLIC_HEALTH_NURSE = "public_health_nurse", "保健師"


#: (category, field, minimum years, what the field counts): the thresholds of 要綱004 3(3).
YEAR_THRESHOLDS = (
    (Qualification.LICENSED, "field_years", 5, "保健・医療・福祉・就労・教育等の分野での業務"),
    (Qualification.LICENSED, "hardship_consultation_years", 3, "生活困窮者への相談支援業務"),
    (Qualification.CONSULTATION, "consultation_years", 5, "生活困窮者への相談支援業務その他の相談支援業務"),
    (Qualification.WELFARE_WORK, "welfare_work_years", 2, "社会福祉事業"),
)


class OutreachWorker(AgencyScopedModel):
    """アウトリーチ支援員: a user with the outreach role, placed in one agency, and their qualification."""

    period_date_field = None  # a standing placement; its evidence is not a record of one 年度

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outreach_worker", verbose_name="利用者"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="workers", verbose_name="配置機関")
    started_on = models.DateField("配置日", null=True, blank=True)
    is_active = models.BooleanField("在職中", default=True)
    qualification = models.CharField(
        "資格要件", max_length=2, choices=Qualification.choices, help_text="要綱3(3)ア〜カのいずれか"
    )
    training_course = models.CharField(
        "修了した研修", max_length=20, choices=TrainingCourse.choices, blank=True, help_text="アの場合（要綱3(3)ア）"
    )
    training_year = models.PositiveSmallIntegerField(
        "研修の修了年度（西暦）", null=True, blank=True, help_text="アの場合。前年度までの修了が対象です。"
    )
    licence = models.CharField(
        "資格", max_length=30, choices=WelfareLicence.choices, blank=True, help_text="イの場合（要綱3(3)イ）"
    )
    field_years = models.PositiveSmallIntegerField(
        "保健・医療・福祉等の分野の従事年数", null=True, blank=True, help_text="イの場合、5年以上"
    )
    hardship_consultation_years = models.PositiveSmallIntegerField(
        "生活困窮者への相談支援業務の従事年数", null=True, blank=True, help_text="イの場合、3年以上"
    )
    consultation_years = models.PositiveSmallIntegerField(
        "相談支援業務の従事年数", null=True, blank=True, help_text="ウの場合、5年以上（要綱3(3)ウ）"
    )
    is_social_welfare_officer = models.BooleanField(
        "社会福祉主事の任用資格あり", default=False, help_text="エの場合（社会福祉法第19条第1項各号）"
    )
    welfare_work_years = models.PositiveSmallIntegerField(
        "社会福祉事業の従事年数", null=True, blank=True, help_text="オの場合、2年以上（要綱3(3)オ）"
    )
    equivalence_note = models.TextField("同等以上と認めた理由", blank=True, help_text="カの場合は必須（要綱3(3)カ）")

    class Meta:
        ordering = ["agency__name", "user__username"]
        verbose_name = verbose_name_plural = "アウトリーチ支援員"

    def __str__(self) -> str:
        return self.user.display_name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.user_id and self.agency_id:
            membership = getattr(self.user, "active_membership", None)
            if membership is None or membership.role != Role.OUTREACH_WORKER:
                errors.setdefault("user", []).append("「アウトリーチ支援員」の役割をもつ利用者を選んでください。")
            elif membership.organisation_id != self.agency.organisation_id:
                errors.setdefault("agency", []).append("利用者の所属する受託事業者の機関を選んでください。")
        for field, message in self.qualification_errors().items():
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def qualification_errors(self, today: date | None = None) -> dict[str, str]:
        """Which evidence of the chosen category is missing or below its threshold, in Japanese."""
        errors: dict[str, str] = {}
        category = self.qualification
        if category == Qualification.TRAINING:
            if not self.training_course:
                errors["training_course"] = "アの場合は修了した研修を選んでください。"
            if not self.training_year:
                errors["training_year"] = "アの場合は研修の修了年度を入力してください。"
            elif self.training_year >= fiscal_year_of(today or timezone.localdate()):
                errors["training_year"] = "アは前年度までに研修を修了した者が対象です（要綱3(3)ア）。"
        if category == Qualification.LICENSED and not self.licence:
            errors["licence"] = "イの場合は資格（社会福祉士・精神保健福祉士・保健師）を選んでください。"
        if category == Qualification.SOCIAL_WELFARE_OFFICER and not self.is_social_welfare_officer:
            errors["is_social_welfare_officer"] = "エの場合は社会福祉主事の任用資格があることを確認してください。"
        if category == Qualification.EQUIVALENT and not (self.equivalence_note or "").strip():
            errors["equivalence_note"] = "カの場合は同等以上の能力を有すると認めた理由を入力してください。"
        for threshold_category, field, minimum, what in YEAR_THRESHOLDS:
            if category != threshold_category:
                continue
            years = getattr(self, field)
            if years is None:
                errors[field] = f"{what}の従事年数を入力してください（{minimum}年以上が必要です）。"
            elif years < minimum:
                errors[field] = f"{what}の従事年数が{minimum}年未満です（{years}年）。{minimum}年以上が必要です。"
        return errors

    @property
    def qualification_evidence(self) -> str:
        category = self.qualification
        if category == Qualification.TRAINING:
            return (
                f"{self.get_training_course_display()}（{fiscal_year_label(self.training_year)}修了）"
                if self.training_year
                else ""
            )
        if category == Qualification.LICENSED:
            return (
                f"{self.get_licence_display()}、分野の業務{self.field_years}年、"
                f"生活困窮者の相談支援{self.hardship_consultation_years}年"
            )
        if category == Qualification.CONSULTATION:
            return f"相談支援業務{self.consultation_years}年"
        if category == Qualification.SOCIAL_WELFARE_OFFICER:
            return "社会福祉主事任用資格"
        if category == Qualification.WELFARE_WORK:
            return f"社会福祉事業{self.welfare_work_years}年"
        return self.equivalence_note


OutreachWorkerUserObjectPermission, OutreachWorkerGroupObjectPermission = object_permission_models(OutreachWorker)
