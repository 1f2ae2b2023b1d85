"""Clients (要綱004 3(2)) and their contacts (3(1))."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Municipality
from accounts.tenancy import object_permission_models
from accounts.wareki import to_wareki
from outreach.classification import ContactFlags, classify_contact
from outreach.models.base import AgencyScopedModel
from outreach.models.setup import Agency, CohortSetting, OutreachWorker
from outreach.search import search_key


class Sex(models.TextChoices):
    MALE = "male", "男性"
    FEMALE = "female", "女性"
    OTHER = "other", "その他"
    UNKNOWN = "unknown", "回答なし"


class ReferralRoute(models.TextChoices):
    SELF = "self", "本人"
    FAMILY = "family", "家族"
    AGENCY = "agency", "関係機関"
    COMMUNITY = "community", "民生委員・地域住民"
    OUTREACH = "outreach", "アウトリーチによる把握"
    OTHER = "other", "その他"


class ClientStatus(models.TextChoices):
    NEW = "new", "新規"
    CONTINUING = "continuing", "継続"
    CLOSED = "closed", "終結"


#: The (ｱ)–(ｴ) criteria of 要綱004 3(2)イ: (field, short label).
CRITERIA = (
    ("criterion_hikikomori", "(ｱ) ひきこもり状態"),
    ("criterion_youth_station", "(ｲ) サポステ等の利用（可能性）"),
    ("criterion_unstable_work", "(ｳ) 長期間安定した就労ができていない"),
    ("criterion_other", "(ｴ) その他丁寧な支援が必要"),
)

#: What a worker records about a client, on the form and in the import alike: identity and contact,
#: the referral, the 要綱3(2) test (生活困窮者, the cohort with the reason when outside it, the (ｱ)〜(ｴ)
#: criteria), the worker in charge and the status. The rules on them are `Client.clean()`.
CLIENT_INPUT_FIELDS = (
    "number",
    "registered_on",
    "worker",
    "name",
    "name_kana",
    "birth_date",
    "sex",
    "municipality",
    "address",
    "phone",
    "email",
    "contact_note",
    "referral_route",
    "referral_note",
    "in_hardship",
    "outside_cohort_reason",
    *(field for field, _label in CRITERIA),
    "criterion_other_note",
    "status",
    "closed_on",
    "closed_reason",
    "note",
)


class Client(AgencyScopedModel):
    """支援対象者. Holds a real identity: seen only by the owning agency and the prefecture."""

    holds_personal_data = True
    #: What changed, by whom and when (shown on the client's page). The search key is derived from the name.
    history = HistoricalRecords(excluded_fields=["updated_at", "search_key"])
    # A client's case continues across 年度; the records of each year (contacts, plans,
    # linkages, outcomes) carry the year lock. Of the registration itself only what an approved
    # report counted is frozen: registering a client in a frozen 年度 (a new client of that year,
    # see period_date), and moving the intake or closing date into or out of one, or deleting a
    # client registered in one (outreach.services.client_save / record_delete). A client whose case
    # was open in a frozen 年度 keeps what that report counted (CLIENT_COUNTED_FIELDS and the
    # in-cohort flag); contact details and notes stay editable.
    period_date_field = None

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="clients", verbose_name="機関")
    number = models.CharField("ケース番号", max_length=20, blank=True, help_text="空欄なら自動で採番します。")
    worker = models.ForeignKey(
        OutreachWorker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name="担当支援員",
    )
    registered_on = models.DateField("受付日", default=timezone.localdate)
    name = models.CharField("氏名", max_length=60)
    name_kana = models.CharField("フリガナ", max_length=100)
    search_key = models.CharField("検索キー", max_length=200, editable=False, db_index=True)
    birth_date = models.DateField("生年月日")
    sex = models.CharField("性別", max_length=10, choices=Sex.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="住所の市町村"
    )
    address = models.CharField("住所（市町村以下）", max_length=200, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True)
    email = models.EmailField("メールアドレス", blank=True)
    contact_note = models.CharField("連絡方法の留意点", max_length=200, blank=True)
    referral_route = models.CharField("相談経路", max_length=20, choices=ReferralRoute.choices)
    referral_note = models.CharField("相談経路の詳細", max_length=200, blank=True, help_text="紹介元の機関名など")
    in_hardship = models.BooleanField(
        "生活困窮者に該当する",
        default=False,
        help_text="現に経済的に困窮し、最低限度の生活を維持できなくなるおそれ（要綱3(2)）",
    )
    in_cohort = models.BooleanField("就職氷河期世代の範囲内", default=True, editable=False)
    outside_cohort_reason = models.TextField(
        "範囲外でも支援対象とする理由",
        blank=True,
        help_text="生年月日が就職氷河期世代の範囲外の場合は必須（要綱3(2)ア「おおむね」）",
    )
    criterion_hikikomori = models.BooleanField("(ｱ) ひきこもり状態にある", default=False)
    criterion_youth_station = models.BooleanField(
        "(ｲ) 地域若者サポートステーション等を利用している又は利用する可能性がある", default=False
    )
    criterion_unstable_work = models.BooleanField("(ｳ) 長期間安定した就労が出来ていない", default=False)
    criterion_other = models.BooleanField("(ｴ) その他社会参加に向けて丁寧な支援が必要な状態にある", default=False)
    criterion_other_note = models.CharField("(ｴ)の内容", max_length=200, blank=True)
    status = models.CharField("状況", max_length=12, choices=ClientStatus.choices, default=ClientStatus.NEW)
    closed_on = models.DateField("終結日", null=True, blank=True)
    closed_reason = models.TextField("終結の理由", blank=True)
    note = models.TextField("備考", blank=True)

    class Meta:
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="outreach_unique_client_number_per_agency"),
        ]
        indexes = [
            models.Index(fields=["organisation", "registered_on"]),
            models.Index(fields=["agency", "status"]),
            # The list's default order: its first page is read from here, backwards, not sorted.
            models.Index(fields=["registered_on", "id"], name="outreach_client_registered_id"),
        ]
        verbose_name = verbose_name_plural = "支援対象者"

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.agency_id and self.organisation_id and self.agency.organisation_id != self.organisation_id:
            errors["agency"] = "機関の受託事業者が一致しません。"
        if self.worker_id and self.agency_id and self.worker.agency_id != self.agency_id:
            errors["worker"] = "この機関に配置された支援員を選んでください。"
        if (
            self.number
            and self.agency_id
            and Client.objects.filter(agency_id=self.agency_id, number=self.number).exclude(pk=self.pk).exists()
        ):
            errors["number"] = f"ケース番号「{self.number}」は既にこの機関で使われています。"
        if not self.in_hardship:
            errors["in_hardship"] = "支援対象は生活困窮者です（要綱3(2)）。該当する場合はチェックしてください。"
        if self.birth_date:
            cohort = CohortSetting.current()
            if not getattr(self, "keep_cohort_flag", False):  # kept for a client an approved report counted
                self.in_cohort = cohort.contains(self.birth_date)
            if not self.in_cohort and not self.outside_cohort_reason.strip():
                errors["outside_cohort_reason"] = (
                    f"生年月日が就職氷河期世代の範囲（{to_wareki(cohort.birth_from)}〜{to_wareki(cohort.birth_to)}生まれ）"
                    "の外です。支援対象とする理由を入力してください（要綱3(2)ア）。"
                )
        if not any(getattr(self, field) for field, _label in CRITERIA):
            errors["criterion_hikikomori"] = "(ｱ)〜(ｴ)のいずれかに該当する必要があります（要綱3(2)イ）。"
        if self.criterion_other and not self.criterion_other_note.strip():
            errors["criterion_other_note"] = "(ｴ)に該当する場合は、その内容を入力してください。"
        if self.status == ClientStatus.CLOSED:
            if not self.closed_on:
                errors["closed_on"] = "終結の場合は終結日を入力してください。"
            if not self.closed_reason.strip():
                errors["closed_reason"] = "終結の場合は終結の理由を入力してください。"
        if self.closed_on and self.registered_on and self.closed_on < self.registered_on:
            errors["closed_on"] = "終結日は受付日以降にしてください。"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.search_key = search_key(self.name, self.name_kana)
        super().save(*args, **kwargs)

    def period_date(self):
        """A new registration falls in the 年度 of its intake; an existing case is checked by client_save."""
        return self.registered_on if self._state.adding else None

    @property
    def criteria_labels(self) -> list[str]:
        return [label for field, label in CRITERIA if getattr(self, field)]

    def age_on(self, day) -> int:
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


ClientUserObjectPermission, ClientGroupObjectPermission = object_permission_models(Client)


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", "自宅訪問"
    ACCOMPANIED = "accompanied", "同行相談"
    OFFICE = "office", "来所面談"
    PHONE = "phone", "電話"
    MAIL = "mail", "メール・手紙"
    CASE_CONFERENCE = "case_conference", "ケース会議"
    OTHER = "other", "その他"


class Contact(AgencyScopedModel):
    """One consultation or visit (要綱004 3(1)). Its time flags are computed on save (3(1)イ)."""

    holds_personal_data = True
    agency_path = "client__agency"
    period_date_field = "date"
    #: What changed, by whom and when (shown on the contact's page). The time flags follow from date and times.
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "is_weekend",
            "is_holiday",
            "holiday_name",
            "is_year_end",
            "is_after_hours",
            "is_outside_hours",
        ]
    )

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="contacts", verbose_name="支援対象者")
    worker = models.ForeignKey(
        OutreachWorker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="対応した支援員",
    )
    date = models.DateField("日付")
    start_time = models.TimeField("開始時刻")
    end_time = models.TimeField("終了時刻")
    kind = models.CharField("種別", max_length=20, choices=ContactKind.choices)
    with_person = models.BooleanField("本人", default=False)
    with_family = models.BooleanField("家族", default=False)
    with_agency = models.BooleanField("関係機関", default=False)
    agency_note = models.CharField("関係機関名", max_length=100, blank=True)
    first_connection = models.BooleanField(
        "本人との初めてのつながりができた",
        default=False,
        help_text="この対応で初めて本人と接触できた場合（要綱3(1)ア(ｳ) 初期のつながりの確保）",
    )
    summary = models.TextField("内容")

    is_weekend = models.BooleanField("土日", default=False, editable=False)
    is_holiday = models.BooleanField("祝日", default=False, editable=False)
    holiday_name = models.CharField("祝日名", max_length=30, blank=True, editable=False)
    is_year_end = models.BooleanField("年末年始", default=False, editable=False)
    is_after_hours = models.BooleanField("時間外", default=False, editable=False)
    is_outside_hours = models.BooleanField("土日祝日・時間外のいずれか", default=False, editable=False)

    class Meta:
        ordering = ["-date", "-start_time", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="outreach_contact_end_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "date"]),
            # All agencies' contacts newest first (the prefecture's list) and the 年度 range of the counts.
            models.Index(fields=["date", "id"], name="outreach_contact_date_id"),
            models.Index(fields=["client", "date"]),
            # The yearly counts (by kind and day, with every time flag) read from this index alone.
            models.Index(
                fields=[
                    "date",
                    "kind",
                    "first_connection",
                    "is_outside_hours",
                    "is_weekend",
                    "is_holiday",
                    "is_year_end",
                    "is_after_hours",
                ],
                name="outreach_contact_year_counts",
            ),
            models.Index(fields=["is_outside_hours", "date"]),
            models.Index(fields=["is_weekend", "date"]),
            models.Index(fields=["is_holiday", "date"]),
            models.Index(fields=["is_year_end", "date"]),
            models.Index(fields=["is_after_hours", "date"]),
        ]
        verbose_name = verbose_name_plural = "対応記録"

    def __str__(self) -> str:
        return f"{to_wareki(self.date)} {self.get_kind_display()}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = "終了時刻は開始時刻より後にしてください。"
        if not (self.with_person or self.with_family or self.with_agency):
            errors["with_person"] = "対応した相手（本人・家族・関係機関）を1つ以上選んでください。"
        if self.first_connection and not self.with_person:
            errors["first_connection"] = "本人とのつながりは、本人と対応した記録にだけ記録できます。"
        if self.client_id and self.organisation_id and self.client.organisation_id != self.organisation_id:
            errors["client"] = "支援対象者の受託事業者が一致しません。"
        if self.worker_id and self.client_id and self.worker.agency_id != self.client.agency_id:
            errors["worker"] = "この機関に配置された支援員を選んでください。"
        if errors:
            raise ValidationError(errors)

    def classify(self) -> ContactFlags:
        flags = classify_contact(
            self.date,
            self.start_time,
            self.end_time,
            office_start=settings.OFFICE_HOURS_START,
            office_end=settings.OFFICE_HOURS_END,
        )
        self.is_weekend = flags.is_weekend
        self.is_holiday = flags.is_holiday
        self.holiday_name = flags.holiday_name
        self.is_year_end = flags.is_year_end
        self.is_after_hours = flags.is_after_hours
        self.is_outside_hours = flags.is_outside_regular_hours
        return flags

    def save(self, *args, **kwargs) -> None:
        self.classify()
        super().save(*args, **kwargs)

    @property
    def flag_labels(self) -> list[str]:
        labels = []
        if self.is_weekend:
            labels.append("土日")
        if self.is_holiday:
            labels.append(self.holiday_name or "祝日")
        if self.is_year_end:
            labels.append("年末年始")
        if self.is_after_hours:
            labels.append("時間外")
        return labels

    @property
    def with_whom(self) -> str:
        names = [
            label
            for flag, label in ((self.with_person, "本人"), (self.with_family, "家族"), (self.with_agency, "関係機関"))
            if flag
        ]
        return "・".join(names)


ContactUserObjectPermission, ContactGroupObjectPermission = object_permission_models(Contact)
