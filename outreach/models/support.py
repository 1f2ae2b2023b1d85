"""Support plans (要綱004 3(4)イ), meetings (3(4)オ), linkages (3(4)ウ〜サ) and outcomes."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, DateField, Exists, F, OuterRef, QuerySet, Subquery, When

from accounts.tenancy import object_permission_models
from accounts.wareki import to_wareki
from outreach.models.base import AgencyScopedModel
from outreach.models.clients import Client
from outreach.models.setup import Agency, SocialResource


class SupportPlan(AgencyScopedModel):
    """支援計画: goals and planned supports, made on a date and reviewed over time (要綱3(4)イ)."""

    holds_personal_data = True
    agency_path = "client__agency"
    period_date_field = "made_on"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="plans", verbose_name="支援対象者")
    made_on = models.DateField("作成日")
    goals = models.TextField("目標", help_text="本人と話し合って決めた目標")
    planned_supports = models.TextField("支援の種類・内容", help_text="要綱3(4)イ「支援の種類、内容等を記載した計画」")
    next_review_on = models.DateField("次回見直し予定日", null=True, blank=True)
    # Stored rather than computed per query, so that the prefecture-wide list reads its first page
    # from the (review_due_on, id) index instead of computing the date for every plan and sorting.
    review_due_on = models.DateField(
        "次回見直し",
        null=True,
        editable=False,
        help_text="最新の見直しの次回見直し予定日（見直しがなければ計画の見直し予定日）",
    )

    class Meta:
        ordering = ["-made_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "made_on"]),
            models.Index(fields=["review_due_on", "id"], name="outreach_plan_review_due_id"),
        ]
        verbose_name = verbose_name_plural = "支援計画"

    def __str__(self) -> str:
        return f"支援計画（{to_wareki(self.made_on)}作成）"

    @classmethod
    def refresh_review_due(cls, plans: Iterable[int] | QuerySet) -> None:
        """Recompute `review_due_on` of the given plans (ids, or a queryset of ids) in one UPDATE.

        The latest review decides, even when it sets no next date (the plan then has none);
        a plan never reviewed keeps its own next_review_on. Every write of a plan or a review
        ends here (save/delete below; bulk writes such as the demo data call it themselves).
        """
        latest = PlanReview.objects.filter(plan=OuterRef("pk")).order_by("-reviewed_on", "-id")
        with transaction.atomic():
            # Lock the plans first: the UPDATE, a statement of its own, then sees every review that a
            # concurrent transaction committed while this one waited (two reviews saved at once).
            list(cls.objects.select_for_update().filter(pk__in=plans).values_list("pk", flat=True))
            cls.objects.filter(pk__in=plans).update(
                review_due_on=Case(
                    When(Exists(latest), then=Subquery(latest.values("next_review_on")[:1])),
                    default=F("next_review_on"),
                    output_field=DateField(),
                )
            )

    def save(self, *args, **kwargs) -> None:
        """A new plan takes its own date; an edited one is refreshed in the database (re-read the plan
        to see the stored value)."""
        adding = self._state.adding
        if adding:
            self.review_due_on = self.next_review_on  # a new plan has no review yet
        super().save(*args, **kwargs)
        if not adding:
            SupportPlan.refresh_review_due([self.pk])

    def clean(self) -> None:
        if self.made_on and self.next_review_on and self.next_review_on < self.made_on:
            raise ValidationError({"next_review_on": "見直し予定日は作成日以降にしてください。"})


SupportPlanUserObjectPermission, SupportPlanGroupObjectPermission = object_permission_models(SupportPlan)


class PlanReview(AgencyScopedModel):
    """One review of a support plan: the plan's review history."""

    holds_personal_data = True
    agency_path = "plan__client__agency"
    period_date_field = "reviewed_on"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="reviews", verbose_name="支援計画")
    reviewed_on = models.DateField("見直し日")
    summary = models.TextField("評価・見直しの内容")
    next_review_on = models.DateField("次回見直し予定日", null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["reviewed_on", "id"], name="outreach_review_reviewed_id")]
        verbose_name = verbose_name_plural = "支援計画の見直し"

    def __str__(self) -> str:
        return f"見直し（{to_wareki(self.reviewed_on)}）"

    @classmethod
    def from_db(cls, db, field_names, values):
        review = super().from_db(db, field_names, values)
        # The admin may move a review to another plan: the plan it leaves needs its date again too.
        review._stored_plan_id = review.__dict__.get("plan_id")
        return review

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        SupportPlan.refresh_review_due({self.plan_id, getattr(self, "_stored_plan_id", None) or self.plan_id})
        self._stored_plan_id = self.plan_id

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        SupportPlan.refresh_review_due({self.plan_id, getattr(self, "_stored_plan_id", None) or self.plan_id})
        return deleted

    def clean(self) -> None:
        errors = {}
        if self.plan_id and self.reviewed_on and self.reviewed_on < self.plan.made_on:
            errors["reviewed_on"] = "見直し日は計画の作成日以降にしてください。"
        if self.reviewed_on and self.next_review_on and self.next_review_on <= self.reviewed_on:
            errors["next_review_on"] = "次回見直し予定日は見直し日より後にしてください。"
        if errors:
            raise ValidationError(errors)


PlanReviewUserObjectPermission, PlanReviewGroupObjectPermission = object_permission_models(PlanReview)


class MeetingKind(models.TextChoices):
    COORDINATION = "coordination", "支援調整会議"
    CASE_CONFERENCE = "case_conference", "ケース会議"


class ParticipantType(models.TextChoices):
    CONSULTATION_AGENCY = "consultation_agency", "自立相談支援機関"
    WELFARE_OFFICE = "welfare_office", "福祉事務所"
    MUNICIPALITY = "municipality", "市町村"
    HEALTH_CENTRE = "health_centre", "保健所"
    HIKIKOMORI_CENTRE = "hikikomori_centre", "ひきこもり地域支援センター"
    YOUTH_STATION = "youth_station", "地域若者サポートステーション"
    HELLO_WORK = "hello_work", "ハローワーク"
    EMPLOYMENT_PREPARATION = "employment_preparation", "就労準備支援事業"
    HOUSEHOLD_FINANCE = "household_finance", "家計改善支援事業"
    MEDICAL = "medical", "医療機関"
    OTHER = "other", "その他"


class SupportMeeting(AgencyScopedModel):
    """支援調整会議 (要綱3(4)オ) or a case conference: who took part, whom it was about, what was decided."""

    holds_personal_data = True
    period_date_field = "date"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="meetings", verbose_name="機関")
    date = models.DateField("開催日")
    kind = models.CharField("種別", max_length=20, choices=MeetingKind.choices)
    participant_types = models.JSONField("参加機関の種別", default=list, blank=True)
    participants_note = models.CharField("参加者（機関名・人数など）", max_length=300, blank=True)
    clients = models.ManyToManyField(Client, related_name="meetings", blank=True, verbose_name="検討した支援対象者")
    decisions = models.TextField("決定事項・役割分担")

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "date"]),
            models.Index(fields=["date", "id"], name="outreach_meeting_date_id"),
        ]
        verbose_name = verbose_name_plural = "支援調整会議・ケース会議"

    def __str__(self) -> str:
        return f"{to_wareki(self.date)} {self.get_kind_display()}"

    def clean(self) -> None:
        unknown = set(self.participant_types or []) - set(ParticipantType.values)
        if unknown:
            raise ValidationError({"participant_types": "参加機関の種別が正しくありません。"})
        if self.agency_id and self.organisation_id and self.agency.organisation_id != self.organisation_id:
            raise ValidationError({"agency": "機関の受託事業者が一致しません。"})

    @property
    def participant_type_labels(self) -> list[str]:
        return [
            ParticipantType(value).label for value in self.participant_types or [] if value in ParticipantType.values
        ]


SupportMeetingUserObjectPermission, SupportMeetingGroupObjectPermission = object_permission_models(SupportMeeting)


class LinkageResult(models.TextChoices):
    REFERRED = "referred", "情報提供・紹介"
    ACCOMPANIED = "accompanied", "同行して相談"
    STARTED = "started", "利用開始"
    ADJUSTING = "adjusting", "調整中"
    NOT_USED = "not_used", "利用に至らず"


class Linkage(AgencyScopedModel):
    """つなぎ: a client referred to or accompanied to a social resource (要綱3(4)ウ〜サ)."""

    holds_personal_data = True
    agency_path = "client__agency"
    period_date_field = "date"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="linkages", verbose_name="支援対象者")
    resource = models.ForeignKey(SocialResource, on_delete=models.PROTECT, related_name="+", verbose_name="つないだ先")
    date = models.DateField("日付")
    result = models.CharField("結果", max_length=20, choices=LinkageResult.choices)
    note = models.TextField("内容", blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "date"]),
            models.Index(fields=["date", "id"], name="outreach_linkage_date_id"),
        ]
        verbose_name = verbose_name_plural = "関係機関へのつなぎ"

    def __str__(self) -> str:
        return f"{to_wareki(self.date)} {self.resource}"


LinkageUserObjectPermission, LinkageGroupObjectPermission = object_permission_models(Linkage)


class OutcomeKind(models.TextChoices):
    CONNECTED = "connected", "つながりの確保"
    PLAN_MADE = "plan_made", "支援計画の作成"
    JOINED_PLACE = "joined_place", "居場所への参加"
    STARTED_TRAINING = "started_training", "就労準備支援・訓練の開始"
    EMPLOYED = "employed", "就職"
    INCOME_INCREASED = "income_increased", "収入の増加"
    CLOSED = "closed", "終結"


class Outcome(AgencyScopedModel):
    """An outcome reached on a date, so that a 年度's outcomes can be counted."""

    holds_personal_data = True
    agency_path = "client__agency"
    period_date_field = "date"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="outcomes", verbose_name="支援対象者")
    kind = models.CharField("成果", max_length=20, choices=OutcomeKind.choices)
    date = models.DateField("日付")
    note = models.TextField("内容", blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "kind", "date"], name="outreach_unique_outcome_per_day"),
        ]
        indexes = [
            models.Index(fields=["organisation", "date"]),
            models.Index(fields=["date", "id"], name="outreach_outcome_date_id"),
        ]
        verbose_name = verbose_name_plural = "成果"

    def __str__(self) -> str:
        return f"{to_wareki(self.date)} {self.get_kind_display()}"

    def clean(self) -> None:
        duplicates = Outcome.objects.filter(client_id=self.client_id, kind=self.kind, date=self.date)
        if self.client_id and self.date and duplicates.exclude(pk=self.pk).exists():
            raise ValidationError({"kind": "同じ日に同じ成果が既に記録されています。"})


OutcomeUserObjectPermission, OutcomeGroupObjectPermission = object_permission_models(Outcome)
