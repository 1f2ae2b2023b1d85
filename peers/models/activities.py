"""People supported (pseudonymous) and activities with the peer supporters' hours and pay (第4条1(1), (2)ウ)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.models import HealthCentre
from accounts.tenancy import object_permission_models
from accounts.wareki import fiscal_year_label, fiscal_year_of, to_wareki
from peers.models.base import PeerRecord
from peers.models.contracts import Contract, Coordinator, Hospital, contract_for
from peers.models.supporters import PeerSupporter, Pledge


class PersonSupported(PeerRecord):
    """An inpatient or discharged person supported, known only by a pseudonymous code (never a name)."""

    #: Pseudonymous, but about a psychiatric inpatient: every view, change and export is audited.
    holds_personal_data = True

    code = models.CharField(
        "対象者コード",
        max_length=20,
        help_text="氏名は入力せず、事業所内で決めた記号（例：A-001）で記録します（要綱第5条1）。",
    )
    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="入院先の病院"
    )
    support_started_on = models.DateField("支援開始日")
    discharged_on = models.DateField(
        "退院日", null=True, blank=True, help_text="退院した場合に入力します（事業の成果）。"
    )
    community_support_started_on = models.DateField("地域生活支援の開始日", null=True, blank=True)
    community_support_note = models.TextField("地域生活支援の内容", blank=True)
    note = models.TextField("備考", blank=True, help_text="氏名・住所など本人が特定できる情報は記録しないでください。")

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "支援対象者"
        # The prefecture's list of every contractor's people, by code, 50 a page, read in index order.
        indexes = [models.Index(fields=["code", "id"], name="peers_person_code_id")]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="peers_unique_person_code"),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=models.F("support_started_on")),
                name="peers_person_discharge_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("peers:person_detail", args=[self.pk])

    @property
    def is_discharged(self) -> bool:
        return self.discharged_on is not None

    def clean(self) -> None:
        errors = {}
        if self.discharged_on and self.support_started_on and self.discharged_on < self.support_started_on:
            errors["discharged_on"] = "退院日は支援開始日以降にしてください。"
        if self.community_support_started_on and not self.discharged_on:
            errors["community_support_started_on"] = "地域生活支援は退院日を入力してから記録してください。"
        if errors:
            raise ValidationError(errors)


PersonSupportedUserObjectPermission, PersonSupportedGroupObjectPermission = object_permission_models(PersonSupported)


class ActivityKind(models.TextChoices):
    HOSPITAL_GROUP = "hospital_group", "院内グループワーク"
    OUTING = "outing", "同行外出"
    COMMUNITY_GROUP = "community_group", "退院後グループワーク"
    HOME_VISIT = "home_visit", "個別訪問"


IN_HOSPITAL_KINDS = frozenset({ActivityKind.HOSPITAL_GROUP, ActivityKind.OUTING})


def _hours(value: str) -> str:
    text = f"{Decimal(value):.2f}".rstrip("0")
    return f"{text}0時間" if text.endswith(".") else f"{text}時間"


def _supporter_terms(entry: dict | None, *, hours: bool = True, pay: bool = True) -> str:
    if entry is None:
        return "（なし）"
    parts = ([_hours(entry["hours"])] if hours else []) + ([f"謝金{entry['pay']:,}円"] if pay else [])
    return "・".join(parts)


class ActivityHistoryRelated(models.Model):
    """What a history row of an activity adds to its fields: the people and the supporters' rows.

    Many-to-many links and child rows are written after the activity itself, so the snapshot is
    filled in once they are (`record_related_in_history`; imports per batch). It is one readable
    value per row rather than simple-history's `m2m_fields`, which writes a further history row
    for every many-to-many signal and nothing for bulk imports.
    """

    related = models.JSONField("支援対象者・ピアサポーター", null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def related_changes(self, older) -> list[tuple[str, str, str]]:
        """(label, old, new) for the people and each supporter whose part changed since `older`."""
        new, old = self.related, getattr(older, "related", None)
        if new is None or old is None:  # rows written before the snapshot existed
            return []
        changes = []
        if old["people"] != new["people"]:
            changes.append(
                ("支援対象者", "、".join(old["people"]) or "（なし）", "、".join(new["people"]) or "（なし）")
            )
        old_rows = {row["id"]: row for row in old["supporters"]}
        new_rows = {row["id"]: row for row in new["supporters"]}
        for key in [*new_rows, *(k for k in old_rows if k not in new_rows)]:
            before, after = old_rows.get(key), new_rows.get(key)
            name = (after or before)["name"]
            if before is None or after is None:
                changes.append((f"ピアサポーター {name}", _supporter_terms(before), _supporter_terms(after)))
                continue
            hours = Decimal(before["hours"]) != Decimal(after["hours"])
            pay = before["pay"] != after["pay"]
            if hours or pay:
                changes.append(
                    (
                        f"ピアサポーター {name}",
                        _supporter_terms(before, hours=hours, pay=pay),
                        _supporter_terms(after, hours=hours, pay=pay),
                    )
                )
        return changes


class Activity(PeerRecord):
    """第4条1(1) ア (in hospital) and イ (after discharge): one session of peer-support activity."""

    history = HistoricalRecords(excluded_fields=["updated_at"], bases=[ActivityHistoryRelated])
    #: Its history names the supporters and people: `purge_history` removes it with theirs.
    history_holds_personal_data = True

    kind = models.CharField("種別", max_length=20, choices=ActivityKind.choices)
    date = models.DateField("活動日")
    start_time = models.TimeField("開始時刻")
    end_time = models.TimeField("終了時刻")
    district = models.ForeignKey(
        HealthCentre, on_delete=models.PROTECT, related_name="+", verbose_name="区域（保健所）"
    )
    hospital = models.ForeignKey(
        Hospital,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="病院",
        help_text="院内グループワーク・同行外出（要綱第4条1(1)ア）では必須です。",
    )
    participants = models.PositiveSmallIntegerField("参加者数", default=0)
    people = models.ManyToManyField(
        PersonSupported, blank=True, related_name="activities", verbose_name="支援対象者（コード）"
    )
    coordinator = models.ForeignKey(
        Coordinator, on_delete=models.PROTECT, related_name="activities", verbose_name="コーディネーター"
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="activities",
        editable=False,
        blank=True,  # set by clean() from the date: the contract whose period contains it
        verbose_name="委託契約",
    )
    notes = models.TextField("記録・特記事項", blank=True, help_text="対象者の氏名は記録しないでください。")

    period_date_field = "date"

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = verbose_name_plural = "活動記録"
        indexes = [
            models.Index(fields=["organisation", "date"], name="peers_activity_org_date"),
            # Prefecture staff list every contractor's activities newest first, 50 a page: with this
            # index the database reads the first page in order instead of sorting every activity.
            models.Index(fields=["date", "id"], name="peers_activity_date_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="peers_activity_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{to_wareki(self.date)} {self.get_kind_display()}" if self.date else "活動記録"

    def get_absolute_url(self) -> str:
        return reverse("peers:activity_detail", args=[self.pk])

    @property
    def is_in_hospital(self) -> bool:
        return self.kind in IN_HOSPITAL_KINDS

    @property
    def article(self) -> str:
        return "ア" if self.is_in_hospital else "イ"

    def clean(self) -> None:
        contract = contract_for(self.organisation_id, self.date) if self.date and self.organisation_id else None
        self.check_rules(contract=contract)

    def check_rules(self, *, contract: Contract | None) -> None:
        """The activity's rules, given the contract whose period contains its date (or None).

        `clean()` finds the contract with a query; an import passes the one it picked from the
        contracts it loaded once (`pick_contract`), with their districts prefetched.
        """
        errors: dict[str, str] = {}
        if self.kind in IN_HOSPITAL_KINDS and not self.hospital_id:
            errors["hospital"] = (
                f"{self.get_kind_display()}（要綱第4条1(1)ア 精神科病院等での活動）では、病院を選んでください。"
            )
        if self.hospital_id and self.district_id and self.hospital.health_centre_id != self.district_id:
            errors["hospital"] = f"「{self.hospital}」は選んだ区域（{self.district}）の病院ではありません。"
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = "終了時刻は開始時刻より後にしてください。"
        if self.coordinator_id and self.organisation_id and self.coordinator.organisation_id != self.organisation_id:
            errors["coordinator"] = "他の事業者のコーディネーターは選べません。"
        if self.date and self.organisation_id:
            if contract is None:
                errors["date"] = (
                    f"活動日（{to_wareki(self.date)}）を含む{fiscal_year_label(fiscal_year_of(self.date))}の"
                    "委託契約がありません。契約期間内の日付を入力してください（契約は県が登録します）。"
                )
            else:
                self.contract = contract
                districts = list(contract.districts.all())
                if self.district_id and self.district_id not in {d.pk for d in districts}:
                    names = "、".join(str(d) for d in districts)
                    errors["district"] = (
                        f"この区域は{contract.fiscal_year_label}の委託契約の区域（{names}）に含まれていません。"
                    )
        if errors:
            raise ValidationError(errors)


ActivityUserObjectPermission, ActivityGroupObjectPermission = object_permission_models(Activity)


class ActivitySupporter(models.Model):
    """A peer supporter's part in an activity, with the hours and pay (第4条1(2)ウ).

    A child row of its activity: scoped, locked and audited through the activity.
    """

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="supporter_rows", verbose_name="活動記録"
    )
    supporter = models.ForeignKey(
        PeerSupporter, on_delete=models.PROTECT, related_name="activity_rows", verbose_name="ピアサポーター"
    )
    hours = models.DecimalField(
        "活動時間（時間）",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    pay = models.PositiveIntegerField("謝金（円）")

    class Meta:
        ordering = ["activity", "supporter__name_kana"]
        verbose_name = verbose_name_plural = "活動したピアサポーター"
        constraints = [
            models.UniqueConstraint(fields=["activity", "supporter"], name="peers_unique_supporter_per_activity"),
            models.CheckConstraint(condition=Q(hours__gte=0) & Q(hours__lte=24), name="peers_hours_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.supporter} {self.hours}時間"

    def clean(self) -> None:
        if not (self.activity_id or getattr(self, "activity", None)) or not self.supporter_id:
            return
        day = self.activity.date
        self.check_rules(pledges=Pledge.objects.filter(supporter_id=self.supporter_id).valid_on(day) if day else ())

    def check_rules(self, *, pledges) -> None:
        """Same organisation, and a pledge valid on the activity date (要綱第5条5) among `pledges`,
        the supporter's pledges (`clean()` asks the database; an import passes the ones it loaded once)."""
        activity = self.activity
        if self.supporter.organisation_id != activity.organisation_id:
            raise ValidationError({"supporter": "他の事業者のピアサポーターは選べません。"})
        if activity.date and not any(pledge.is_valid_on(activity.date) for pledge in pledges):
            raise ValidationError(
                {
                    "supporter": (
                        f"ピアサポーター「{self.supporter.name}」は活動日（{to_wareki(activity.date)}）に有効な誓約書がないため、"
                        "活動に登録できません。先に誓約書を登録してください（要綱第5条5）。"
                    )
                }
            )


def related_snapshots(activity_ids) -> dict[int, dict]:
    """The people (codes) and supporters' rows (name, hours, pay) of these activities: two queries."""
    activity_ids = list(activity_ids)
    snapshots = {pk: {"people": [], "supporters": []} for pk in activity_ids}
    rows = (
        ActivitySupporter.objects.filter(activity_id__in=activity_ids)
        .order_by("supporter__name_kana", "supporter_id")
        .values_list("activity_id", "supporter_id", "supporter__name", "hours", "pay")
    )
    for activity_id, supporter_id, name, hours, pay in rows:
        snapshots[activity_id]["supporters"].append({"id": supporter_id, "name": name, "hours": str(hours), "pay": pay})
    links = (
        Activity.people.through.objects.filter(activity_id__in=activity_ids)
        .order_by("personsupported__code")
        .values_list("activity_id", "personsupported__code")
    )
    for activity_id, code in links:
        snapshots[activity_id]["people"].append(code)
    return snapshots


def record_related_in_history(activity: Activity) -> None:
    """Fill the activity's latest history row with its people and supporters' rows as now stored."""
    history = Activity.history.model
    latest = history.objects.filter(id=activity.pk).order_by("-history_date", "-history_id").values("history_id")[:1]
    history.objects.filter(history_id__in=latest).update(related=related_snapshots([activity.pk])[activity.pk])
