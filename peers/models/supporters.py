"""Peer supporters (第2条(2)), the conditions told to them and their pledges (第5条5)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.tenancy import TenantQuerySet, object_permission_models
from peers.files import validate_scan
from peers.models.base import PeerRecord
from peers.storage import private_storage, random_pledge_name


class SupporterStatus(models.TextChoices):
    ACTIVE = "active", "活動中"
    PAUSED = "paused", "休止中"
    ENDED = "ended", "終了"


class JoinedVia(models.TextChoices):
    TRAINING = "training", "養成講座の修了"
    OTHER = "other", "その他"


class PeerSupporter(PeerRecord):
    """A peer supporter: minimal personal data (name and reading only; no diagnosis)."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    name = models.CharField("氏名", max_length=60)
    name_kana = models.CharField(
        "フリガナ", max_length=100, help_text="全角カタカナ。検索は氏名・フリガナのどちらでも。"
    )
    start_date = models.DateField("活動開始日")
    status = models.CharField("状態", max_length=10, choices=SupporterStatus.choices, default=SupporterStatus.ACTIVE)
    status_changed_on = models.DateField(
        "状態の変更日", null=True, blank=True, help_text="休止・終了の場合は、その日付を入力します。"
    )
    joined_via = models.CharField("登録の経緯", max_length=10, choices=JoinedVia.choices, default=JoinedVia.OTHER)
    joined_note = models.CharField("経緯の補足", max_length=200, blank=True)
    note = models.TextField("備考", blank=True, help_text="診断名・病歴などの健康情報は記録しないでください。")

    holds_personal_data = True

    class Meta:
        ordering = ["name_kana", "pk"]
        verbose_name = verbose_name_plural = "ピアサポーター"
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("peers:supporter_detail", args=[self.pk])

    def clean(self) -> None:

        if self.status != SupporterStatus.ACTIVE and not self.status_changed_on:
            raise ValidationError({"status_changed_on": "休止・終了の場合は、変更日を入力してください。"})
        if self.status_changed_on and self.start_date and self.status_changed_on < self.start_date:
            raise ValidationError({"status_changed_on": "変更日は活動開始日以降にしてください。"})


PeerSupporterUserObjectPermission, PeerSupporterGroupObjectPermission = object_permission_models(PeerSupporter)


class SupporterConditions(PeerRecord):
    """The activity, pay and hours told to a peer supporter (要綱第5条5)."""

    holds_personal_data = True

    supporter = models.ForeignKey(
        PeerSupporter, on_delete=models.CASCADE, related_name="conditions", verbose_name="ピアサポーター"
    )
    told_on = models.DateField("説明日")
    activity_description = models.TextField("活動内容", help_text="例：院内グループワークへの参加、同行外出の付き添い")
    hourly_pay = models.PositiveIntegerField("時給（円）", help_text="活動記録の謝金の初期値になります。")
    expected_hours = models.CharField("想定する活動時間", max_length=100, help_text="例：月8時間程度")
    note = models.TextField("備考", blank=True)

    class Meta:
        ordering = ["-told_on", "-pk"]
        verbose_name = verbose_name_plural = "活動条件の説明"

    def __str__(self) -> str:
        return f"{self.supporter} {self.told_on:%Y-%m-%d}" if self.supporter_id else "活動条件"

    def get_absolute_url(self) -> str:
        return self.supporter.get_absolute_url()

    def clean(self) -> None:

        if self.supporter_id and self.organisation_id and self.supporter.organisation_id != self.organisation_id:
            raise ValidationError({"supporter": "他の事業者のピアサポーターは選べません。"})


SupporterConditionsUserObjectPermission, SupporterConditionsGroupObjectPermission = object_permission_models(
    SupporterConditions
)


class PledgeQuerySet(TenantQuerySet):
    def valid_on(self, day: date) -> PledgeQuerySet:
        """Pledges in force on `day`: signed on or before it, not yet expired, not withdrawn."""
        return self.filter(signed_on__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day),
        )


class Pledge(PeerRecord):
    """誓約書 (要綱第5条5).

    Valid on a day D when signed_on ≤ D, D ≤ valid_until (if any) and D < withdrawn_on (if any).
    """

    holds_personal_data = True

    supporter = models.ForeignKey(
        PeerSupporter, on_delete=models.CASCADE, related_name="pledges", verbose_name="ピアサポーター"
    )
    signed_on = models.DateField("署名日")
    provisions_version = models.CharField(
        "説明した個人情報保護取扱い特記事項の版",
        max_length=50,
        help_text="例：令和8年4月改定版。特記事項を必ず説明した上で誓約書を取り交わします（要綱第5条5）。",
    )
    explained_by = models.CharField("説明者", max_length=60)
    valid_until = models.DateField("有効期限", null=True, blank=True, help_text="期限がなければ空欄。")
    withdrawn_on = models.DateField("撤回・失効日", null=True, blank=True, help_text="この日から無効になります。")
    scan = models.FileField(
        "誓約書の写し",
        storage=private_storage,
        upload_to=random_pledge_name,
        blank=True,
        validators=[validate_scan],
        help_text="PDF・JPEG・PNG、5MBまで。非公開の領域に保存され、閲覧できる人だけがダウンロードできます。",
    )
    scan_content_type = models.CharField(max_length=40, blank=True, editable=False)
    note = models.TextField("備考", blank=True)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = verbose_name_plural = "誓約書"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("signed_on")),
                name="peers_pledge_expiry_after_signature",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("signed_on")),
                name="peers_pledge_withdrawal_after_signature",
            ),
        ]

    def __str__(self) -> str:
        return f"誓約書 {self.signed_on:%Y-%m-%d}" if self.signed_on else "誓約書"

    def get_absolute_url(self) -> str:
        return self.supporter.get_absolute_url()

    def is_valid_on(self, day: date) -> bool:
        return (
            self.signed_on <= day
            and (self.valid_until is None or day <= self.valid_until)
            and (self.withdrawn_on is None or day < self.withdrawn_on)
        )

    def clean(self) -> None:

        errors = {}
        if self.supporter_id and self.organisation_id and self.supporter.organisation_id != self.organisation_id:
            errors["supporter"] = "他の事業者のピアサポーターは選べません。"
        if self.signed_on and self.valid_until and self.valid_until < self.signed_on:
            errors["valid_until"] = "有効期限は署名日以降にしてください。"
        if self.signed_on and self.withdrawn_on and self.withdrawn_on < self.signed_on:
            errors["withdrawn_on"] = "撤回・失効日は署名日以降にしてください。"
        if errors:
            raise ValidationError(errors)


PledgeUserObjectPermission, PledgeGroupObjectPermission = object_permission_models(Pledge)
