"""Excel・CSV imports of the peer-support program, on the shared engine in `accounts.imports`.

Four kinds (registered in PeersConfig.ready): supporters, activities (with the supporters' hours
and pay), people supported and expenditures. Headers are the screens' labels, in any order.

Every kind has a stable key, so importing the same file again updates the records it created
instead of adding them twice (see `KIND_*` below and the 説明 sheet of each template). The rules
are the screens' rules: model `clean()` through full_clean, the year lock in the engine, and for
activities the service that writes the supporters' rows (`peers.services`), which refuses a
supporter without a pledge valid on the activity date.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export.fields import Field

from accounts.imports import (
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    ScopedForeignKeyWidget,
    TenantResource,
    TextWidget,
    TimeWidget,
    normalise_text,
)
from accounts.models import HealthCentre, Role
from accounts.wareki import fiscal_year_label, fiscal_year_of, to_wareki
from peers import services
from peers.models import (
    Activity,
    ActivityKind,
    ActivitySupporter,
    Contract,
    Coordinator,
    Expenditure,
    ExpenseCategory,
    Hospital,
    JoinedVia,
    PeerSupporter,
    PersonSupported,
    Pledge,
    SupporterConditions,
    SupporterStatus,
    pick_contract,
    related_snapshots,
)

SUPPORTER_SLOTS = 5  # ピアサポーター1/時間1/謝金1 … ピアサポーター5/時間5/謝金5
_CODE_SEPARATORS = re.compile(r"[、,，;；/／\s]+")


def _loose(value) -> str:
    """Names compared without spaces: 「仲間 一郎」「仲間　一郎」「仲間一郎」 are the same."""
    return re.sub(r"\s+", "", normalise_text(value))


class LooseNameWidget(ScopedForeignKeyWidget):
    def key(self, value) -> str:
        return _loose(value)


class DistrictWidget(ScopedForeignKeyWidget):
    """A district by its health centre's name; 「朝霞」 is read as 「朝霞保健所」."""

    def key(self, value) -> str:
        text = _loose(value)
        return text if text.endswith("保健所") else text + "保健所"


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: ValidationError(errors).messages for name, errors in error.error_dict.items()}
    return {NON_FIELD_ERRORS: error.messages}


class PeerResource(TenantResource):
    """A peers import: a stable key looked up once per import, one row per key in a file."""

    key_label = ""  # how the stable key is named in an error: 活動日・開始時刻・種別・区域・病院

    class Meta:
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True
        skip_diff = True  # the preview shows the file's rows; no per-row deep copies (speed)
        import_id_fields = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._existing: dict[tuple, object] | None = None
        self._seen: dict[tuple, int] = {}
        self._row_number = 0
        self._contracts: list[Contract] | None = None
        self._contract_on: dict[date, Contract | None] = {}

    def contract_on(self, day: date) -> Contract | None:
        """The contract whose period contains `day`, from the organisation's contracts loaded once."""
        if self._contracts is None:
            self._contracts = list(
                Contract.objects.filter(organisation=self.organisation).prefetch_related("districts")
            )
        if day not in self._contract_on:
            self._contract_on[day] = pick_contract(self._contracts, day)
        return self._contract_on[day]

    # --- the stable key ------------------------------------------------------------------------

    def row_key(self, row) -> tuple | None:
        """The stable key of a file row, or None when a key cell cannot be read (reported later)."""
        raise NotImplementedError

    def record_key(self, obj) -> tuple:
        raise NotImplementedError

    def existing_queryset(self):
        return self.get_queryset()

    def _cell(self, name: str, row):
        field = self.fields[name]
        return field.widget.clean(row.get(field.column_name), row=row)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self._row_number = kwargs.get("row_number") or self._row_number + 1

    def get_instance(self, instance_loader, row):
        try:
            key = self.row_key(row)
        except ValueError:
            return None  # the cell's own error is reported with its column by import_instance
        if key is None:
            return None
        if key in self._seen:
            raise ValidationError(
                f"行 {self._seen[key] + 1} と同じ記録です（{self.key_label}が同じ）。1行にまとめてください。"
            )
        self._seen[key] = self._row_number
        if self._existing is None:
            existing: dict[tuple, object] = {}
            for obj in self.existing_queryset():
                stored = self.record_key(obj)
                existing[stored] = None if stored in existing else obj
            self._existing = existing
        if key in self._existing and self._existing[key] is None:
            raise ValidationError(
                f"登録済みの記録に、{self.key_label}が同じものが2件以上あるため、どれを更新するか決められません。"
                "画面で重複を整理してから取り込んでください。"
            )
        return self._existing.get(key)

    def save_instance(self, instance, is_create, row, **kwargs):
        instance._history_user = self.user if getattr(self.user, "is_authenticated", False) else None
        super().save_instance(instance, is_create, row, **kwargs)


# --- ピアサポーター ----------------------------------------------------------------------------


class SupporterResource(PeerResource):
    key_label = "氏名・フリガナ"

    name = Field("name", "氏名", widget=TextWidget())
    name_kana = Field("name_kana", "フリガナ", widget=TextWidget())
    start_date = Field("start_date", "活動開始日", widget=DateWidget())
    status = Field("status", "状態", widget=ChoiceWidget(SupporterStatus.choices))
    status_changed_on = Field("status_changed_on", "状態の変更日", widget=DateWidget())
    joined_via = Field("joined_via", "登録の経緯", widget=ChoiceWidget(JoinedVia.choices))
    joined_note = Field("joined_note", "経緯の補足", widget=TextWidget())
    note = Field("note", "備考", widget=TextWidget())
    pledge_signed_on = Field(None, "誓約書の署名日", widget=DateWidget())
    pledge_version = Field(None, "説明した特記事項の版", widget=TextWidget())
    pledge_explained_by = Field(None, "説明者", widget=TextWidget())
    pledge_valid_until = Field(None, "誓約書の有効期限", widget=DateWidget())

    class Meta(PeerResource.Meta):
        model = PeerSupporter
        fields = (
            "name",
            "name_kana",
            "start_date",
            "status",
            "status_changed_on",
            "joined_via",
            "joined_note",
            "note",
            "pledge_signed_on",
            "pledge_version",
            "pledge_explained_by",
            "pledge_valid_until",
        )

    def row_key(self, row):
        name, kana = self._cell("name", row), self._cell("name_kana", row)
        return (_loose(name), _loose(kana)) if name and kana else None

    def record_key(self, obj):
        return (_loose(obj.name), _loose(obj.name_kana))

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list[str]] = {}
        stored = (instance.status, instance.joined_via) if instance.pk else (SupporterStatus.ACTIVE, JoinedVia.OTHER)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = _messages(error)
        # a blank 状態 / 登録の経緯 keeps what is stored (the default for a new supporter)
        instance.status = instance.status or stored[0]
        instance.joined_via = instance.joined_via or stored[1]
        pledge = {}
        for name in ("pledge_signed_on", "pledge_version", "pledge_explained_by", "pledge_valid_until"):
            try:
                pledge[name] = self._cell(name, row)
            except ValueError as error:
                errors[name] = [str(error)]
        instance._import_pledge = pledge
        if errors:
            raise ValidationError(errors)

    def save_m2m(self, instance, row, **kwargs):
        """A pledge in the row is registered once (by its signing date) through the screens' service."""
        super().save_m2m(instance, row, **kwargs)
        pledge = getattr(instance, "_import_pledge", {})
        if not pledge.get("pledge_signed_on"):
            if pledge.get("pledge_version") or pledge.get("pledge_explained_by"):
                raise ValidationError({"pledge_signed_on": "誓約書を登録するには署名日を入力してください。"})
            return
        if Pledge.objects.filter(supporter=instance, signed_on=pledge["pledge_signed_on"]).exists():
            return
        record = Pledge(
            organisation=self.organisation,
            supporter=instance,
            signed_on=pledge["pledge_signed_on"],
            provisions_version=pledge.get("pledge_version") or "",
            explained_by=pledge.get("pledge_explained_by") or "",
            valid_until=pledge.get("pledge_valid_until"),
        )
        try:
            services.pledge_save(pledge=record, by=self.user)
        except ValidationError as error:
            columns = {
                "signed_on": "pledge_signed_on",
                "provisions_version": "pledge_version",
                "explained_by": "pledge_explained_by",
                "valid_until": "pledge_valid_until",
            }
            raise ValidationError(
                {columns.get(name, NON_FIELD_ERRORS): messages for name, messages in _messages(error).items()}
            ) from error


# --- 支援対象者 --------------------------------------------------------------------------------


class PersonResource(PeerResource):
    key_label = "対象者コード"

    code = Field("code", "対象者コード", widget=TextWidget())
    hospital = Field("hospital", "入院先の病院", widget=LooseNameWidget(Hospital, "name", label="病院"))
    support_started_on = Field("support_started_on", "支援開始日", widget=DateWidget())
    discharged_on = Field("discharged_on", "退院日", widget=DateWidget())
    community_support_started_on = Field("community_support_started_on", "地域生活支援の開始日", widget=DateWidget())
    community_support_note = Field("community_support_note", "地域生活支援の内容", widget=TextWidget())
    note = Field("note", "備考", widget=TextWidget())

    class Meta(PeerResource.Meta):
        model = PersonSupported
        use_bulk = True
        batch_size = 1000
        fields = (
            "code",
            "hospital",
            "support_started_on",
            "discharged_on",
            "community_support_started_on",
            "community_support_note",
            "note",
        )

    def related_queryset(self, resource_field):
        if resource_field.widget.model is Hospital:
            return Hospital.objects.filter(is_active=True)
        return super().related_queryset(resource_field)

    def row_key(self, row):
        code = self._cell("code", row)
        return (normalise_text(code),) if code else None

    def record_key(self, obj):
        return (normalise_text(obj.code),)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.code = normalise_text(instance.code)  # Ａ－００１ → A-001, as the key compares

    def validate_constraints(self, instance, *, exclude):
        """The unique code per organisation needs no query per row: the stable key (the code as
        normalise_text reads it) is looser than the constraint, so a new row whose code is taken
        would have been matched to that record as an update (the database still enforces it)."""

    def resolved_fields(self, instance) -> set[str]:
        # the organisation is the importing user's; it was kept only for the constraint above
        return super().resolved_fields(instance) | {"organisation"}


# --- 活動記録（ピアサポーターの時間・謝金つき） -------------------------------------------------


def supporter_columns(n: int) -> tuple[str, str, str]:
    return f"ピアサポーター{n}", f"時間{n}", f"謝金{n}"


class ActivityResource(PeerResource):
    key_label = "活動日・開始時刻・種別・区域・病院"

    date = Field("date", "活動日", widget=DateWidget())
    start_time = Field("start_time", "開始時刻", widget=TimeWidget())
    end_time = Field("end_time", "終了時刻", widget=TimeWidget())
    kind = Field("kind", "種別", widget=ChoiceWidget(ActivityKind.choices))
    district = Field("district", "区域（保健所）", widget=DistrictWidget(HealthCentre, "name", label="区域（保健所）"))
    hospital = Field("hospital", "病院", widget=LooseNameWidget(Hospital, "name", label="病院"))
    participants = Field("participants", "参加者数", widget=IntegerWidget())
    coordinator = Field("coordinator", "コーディネーター", widget=LooseNameWidget(Coordinator, "name"))
    people = Field(None, "支援対象者コード", widget=TextWidget())
    notes = Field("notes", "記録・特記事項", widget=TextWidget())

    preloaded_fields = ("contract",)

    class Meta(PeerResource.Meta):
        model = Activity
        use_bulk = True  # written per batch with the supporters' rows: see after_bulk_write
        batch_size = 1000
        fields = (
            "date",
            "start_time",
            "end_time",
            "kind",
            "district",
            "hospital",
            "participants",
            "coordinator",
            "people",
            "notes",
            *[f"{part}_{n}" for n in range(1, SUPPORTER_SLOTS + 1) for part in ("supporter", "hours", "pay")],
        )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.person_widget = LooseNameWidget(PersonSupported, "code", label="支援対象者")
        self.person_widget.use_queryset(PersonSupported.objects.filter(organisation=self.organisation))
        self._pledges: dict[int, list[Pledge]] | None = None
        self._stored_children: tuple[dict, dict] | None = None
        self._conditions: dict[int, list[SupporterConditions]] | None = None

    # --- what the rules need, loaded once per import ---------------------------------------------

    def pledges_of(self, supporter) -> list[Pledge]:
        if self._pledges is None:
            self._pledges = _by_supporter(Pledge.objects.filter(organisation=self.organisation))
        return self._pledges.get(supporter.pk, [])

    def conditions_of(self, supporter) -> list[SupporterConditions]:
        if self._conditions is None:
            self._conditions = _by_supporter(SupporterConditions.objects.filter(organisation=self.organisation))
        return self._conditions.get(supporter.pk, [])

    def related_queryset(self, resource_field):
        if resource_field.widget.model is Hospital:
            return Hospital.objects.filter(is_active=True)
        return super().related_queryset(resource_field)

    def existing_queryset(self):
        return self.get_queryset().select_related(None)

    def row_key(self, row):
        day, start, kind = self._cell("date", row), self._cell("start_time", row), self._cell("kind", row)
        district = self._cell("district", row)
        hospital = self._cell("hospital", row) if self.fields["hospital"].column_name in row else None
        if not (day and start and kind and district):
            return None
        return (day, start, kind, district.pk, hospital.pk if hospital else None)

    def record_key(self, obj):
        return (obj.date, obj.start_time.replace(second=0, microsecond=0), obj.kind, obj.district_id, obj.hospital_id)

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list[str]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = _messages(error)
        if instance.participants is None:
            instance.participants = 0
        # 支援対象者コード: several codes in one cell, separated by 、 , or spaces
        instance._import_people = None
        if self.fields["people"].column_name in row:
            people, missing = [], []
            for code in _CODE_SEPARATORS.split(normalise_text(row.get("支援対象者コード") or "")):
                if not code:
                    continue
                try:
                    people.append(self.person_widget.clean(code))
                except ValueError as error:
                    missing.append(str(error))
            if missing:
                errors["people"] = missing
            instance._import_people = people
        # ピアサポーター n / 時間 n / 謝金 n
        instance._import_supporters = None
        if supporter_columns(1)[0] in row:
            entries, slots = [], []
            for n in range(1, SUPPORTER_SLOTS + 1):
                try:
                    supporter = self._cell(f"supporter_{n}", row)
                except ValueError as error:
                    errors[f"supporter_{n}"] = [str(error)]
                    continue
                values = {}
                for part in ("hours", "pay"):
                    try:
                        values[part] = self._cell(f"{part}_{n}", row)
                    except ValueError as error:
                        errors[f"{part}_{n}"] = [str(error)]
                for part, problem in (
                    ("hours", _hours_problem(values.get("hours"))),
                    ("pay", _pay_problem(values.get("pay"))),
                ):
                    if problem:
                        errors.setdefault(f"{part}_{n}", []).append(problem)
                if errors.get(f"hours_{n}") or errors.get(f"pay_{n}"):
                    continue
                if supporter is None:
                    if values["hours"] is not None or values["pay"] is not None:
                        errors[f"supporter_{n}"] = [
                            "時間・謝金を入れた組には、ピアサポーターの氏名を入力してください。"
                        ]
                    continue
                if values["hours"] is None:
                    errors[f"hours_{n}"] = [f"ピアサポーター「{supporter.name}」の活動時間を入力してください。"]
                    continue
                entries.append({"supporter": supporter, "hours": values["hours"], "pay": values["pay"]})
                slots.append(n)
            instance._import_supporters = (entries, slots)
        if errors:
            raise ValidationError(errors)

    def clean_instance(self, instance) -> None:
        """Activity.clean's rules, with the contract picked from the contracts loaded once."""
        instance.check_rules(contract=self.contract_on(instance.date) if instance.date else None)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The activity's rules, then its people and supporters' rows (the screens' service code)."""
        errors: dict = {}
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict({})
        instance._import_rows = None
        if instance._import_people:
            try:
                services._check_people(instance, instance._import_people)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if instance._import_supporters is not None and instance.date:
            entries, slots = instance._import_supporters
            try:
                instance._import_rows = services.build_supporter_rows(
                    instance, entries, pledges_of=self.pledges_of, conditions_of=self.conditions_of
                )
            except services.SupporterRowsError as error:
                for position, messages in error.row_errors.items():
                    for message in messages:  # each message under the column it is about
                        part = "pay" if "謝金" in message and "誓約書" not in message else "supporter"
                        errors.setdefault(f"{part}_{slots[position]}", []).append(message)
        if errors:
            raise ValidationError(errors)

    def children_changed(self, instance) -> bool:
        """Would the file change the activity's supporters' rows or people? (stored ones loaded once)"""
        if self._stored_children is None:
            organisation_activities = {"activity__organisation": self.organisation}
            rows: dict[int, set] = {}
            for activity_id, *entry in ActivitySupporter.objects.filter(**organisation_activities).values_list(
                "activity_id", "supporter_id", "hours", "pay"
            ):
                rows.setdefault(activity_id, set()).add(tuple(entry))
            people: dict[int, set] = {}
            for activity_id, person_id in Activity.people.through.objects.filter(**organisation_activities).values_list(
                "activity_id", "personsupported_id"
            ):
                people.setdefault(activity_id, set()).add(person_id)
            self._stored_children = (rows, people)
        rows, people = self._stored_children
        supporters = instance._import_rows
        if supporters is not None and {(r.supporter_id, r.hours, r.pay) for r in supporters} != rows.get(
            instance.pk, set()
        ):
            return True
        linked = instance._import_people
        return linked is not None and {person.pk for person in linked} != people.get(instance.pk, set())

    def after_bulk_write(self, instances, *, created):
        """People and supporters' rows of a written batch: one delete (updates) and one insert each.

        Without a supporter column in the file an activity's supporters stay as they are; without
        the people column its people too (a blank cell clears the people of an existing activity).
        """
        through = Activity.people.through
        rows, links, replace_rows, replace_links = [], [], [], []
        for activity in instances:
            if activity._import_rows is not None:
                rows += activity._import_rows
                replace_rows.append(activity.pk)
            people = activity._import_people
            if people is not None and (people or not created):
                links += [through(activity_id=activity.pk, personsupported_id=person.pk) for person in people]
                replace_links.append(activity.pk)
        if not created and replace_rows:
            ActivitySupporter.objects.filter(activity_id__in=replace_rows).delete()
        if not created and replace_links:
            through.objects.filter(activity_id__in=replace_links).delete()
        ActivitySupporter.objects.bulk_create(rows)
        through.objects.bulk_create(links)

    def after_bulk_history(self, history_rows, *, batch_size):
        """The batch's history rows describe the people and supporters' rows as now stored, as a
        change on the screens does: two reads and one update per batch."""
        snapshots = related_snapshots(row.id for row in history_rows)
        for row in history_rows:
            row.related = snapshots[row.id]
        Activity.history.model.objects.bulk_update(history_rows, ["related"], batch_size=batch_size)


HOURS_MESSAGE = "時間は 0〜24 の数で入力してください（例: 1.5）。"
PAY_MESSAGE = "謝金は 0 以上の整数（円）で入力してください（例: 1650）。"


def _hours_problem(hours) -> str:
    """The supporter's hours as the model keeps them: 0 to 24, at most two decimal places."""
    if hours is None:
        return ""
    if not hours.is_finite() or not 0 <= hours <= 24 or hours != hours.quantize(Decimal("0.01")):
        return HOURS_MESSAGE
    return ""


def _pay_problem(pay) -> str:
    if pay is None:
        return ""
    return PAY_MESSAGE if not 0 <= pay <= 2_147_483_647 else ""


def _by_supporter(queryset) -> dict[int, list]:
    found: dict[int, list] = {}
    for record in queryset:
        found.setdefault(record.supporter_id, []).append(record)
    return found


for _n in range(1, SUPPORTER_SLOTS + 1):
    _supporter, _hours, _pay = supporter_columns(_n)
    ActivityResource.fields[f"supporter_{_n}"] = Field(
        None, _supporter, widget=LooseNameWidget(PeerSupporter, "name", label="ピアサポーター")
    )
    ActivityResource.fields[f"hours_{_n}"] = Field(None, _hours, widget=DecimalWidget())
    ActivityResource.fields[f"pay_{_n}"] = Field(None, _pay, widget=IntegerWidget())


# --- 経理（支出） ------------------------------------------------------------------------------


class ExpenditureResource(PeerResource):
    key_label = "支出日・費目・支払先・金額"

    date = Field("date", "支出日", widget=DateWidget())
    category = Field("category", "費目", widget=ChoiceWidget(ExpenseCategory.choices))
    amount = Field("amount", "金額（円）", widget=IntegerWidget())
    payee = Field("payee", "支払先", widget=TextWidget())
    note = Field("note", "摘要", widget=TextWidget())

    preloaded_fields = ("contract",)

    class Meta(PeerResource.Meta):
        model = Expenditure
        use_bulk = True
        batch_size = 1000
        fields = ("date", "category", "amount", "payee", "note")

    def row_key(self, row):
        day, category, amount = self._cell("date", row), self._cell("category", row), self._cell("amount", row)
        payee = self._cell("payee", row)
        if not (day and category and payee) or amount is None:
            return None
        return (day, category, _loose(payee), amount)

    def record_key(self, obj):
        return (obj.date, obj.category, _loose(obj.payee), obj.amount)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict({})
            if "date" in errors:  # no contract because the date is wrong: say it once, on the date
                errors.pop("contract", None)
            raise ValidationError(errors) from None

    def import_instance(self, instance, row, **kwargs):
        """The contract is the one whose period contains the 支出日, as the screen proposes it."""
        super().import_instance(instance, row, **kwargs)
        if instance.date:
            contract = self.contract_on(instance.date)
            if contract is None:
                year = fiscal_year_label(fiscal_year_of(instance.date))
                raise ValidationError(
                    {
                        "date": f"支出日（{to_wareki(instance.date)}）を含む{year}の委託契約がありません。"
                        "契約期間内の日付を入力してください（契約は県が登録します）。"
                    }
                )
            instance.contract = contract


# --- the kinds users see -----------------------------------------------------------------------

DATE_FORMAT = "日付（令和7年4月1日、R7.4.1、2025/4/1、Excelの日付）"


def register_kinds() -> None:
    from accounts.import_registry import ImportKind, register_import

    roles = (Role.COORDINATOR,)
    register_import(
        ImportKind(
            key="supporters",
            label="ピアサポーター",
            resource_class=SupporterResource,
            roles=roles,
            list_url_name="peers:supporter_list",
            stable_key="氏名とフリガナ（空白の有無は区別しません）が同じなら同じピアサポーター",
            columns=(
                ("氏名", True, "氏名", "仲間 一郎"),
                ("フリガナ", True, "全角カタカナ", "ナカマ イチロウ"),
                ("活動開始日", True, DATE_FORMAT, "令和7年4月1日"),
                ("状態", False, "活動中・休止中・終了（空欄は活動中）", "活動中"),
                ("状態の変更日", False, "休止・終了の場合は必須。" + DATE_FORMAT, ""),
                ("登録の経緯", False, "養成講座の修了・その他（空欄はその他）", "養成講座の修了"),
                ("経緯の補足", False, "文字", "令和6年度 養成講座 修了"),
                ("備考", False, "文字（診断名などの健康情報は書かない）", ""),
                (
                    "誓約書の署名日",
                    False,
                    "誓約書を取り交わした日。入れると誓約書を登録します。" + DATE_FORMAT,
                    "2025/4/1",
                ),
                ("説明した特記事項の版", False, "誓約書を登録する場合は必須", "令和7年4月版"),
                ("説明者", False, "誓約書を登録する場合は必須", "調整 花子"),
                ("誓約書の有効期限", False, "期限がなければ空欄。" + DATE_FORMAT, ""),
            ),
        )
    )
    register_import(
        ImportKind(
            key="people",
            label="支援対象者",
            resource_class=PersonResource,
            roles=roles,
            list_url_name="peers:person_list",
            stable_key="対象者コードが同じなら同じ支援対象者",
            columns=(
                ("対象者コード", True, "事業所内で決めた記号（氏名は書かない）", "A-001"),
                ("入院先の病院", False, "精神科病院の名称（登録済みのもの）", ""),
                ("支援開始日", True, DATE_FORMAT, "令和7年5月10日"),
                ("退院日", False, "退院した場合。" + DATE_FORMAT, ""),
                ("地域生活支援の開始日", False, "退院日を入れた場合のみ。" + DATE_FORMAT, ""),
                ("地域生活支援の内容", False, "文字", ""),
                ("備考", False, "文字（氏名・住所は書かない）", ""),
            ),
        )
    )
    supporter_groups = []
    for n in range(1, SUPPORTER_SLOTS + 1):
        supporter, hours, pay = supporter_columns(n)
        first = n == 1
        supporter_groups += [
            (
                supporter,
                False,
                "活動したピアサポーターの氏名（登録済みで、活動日に有効な誓約書のある人）。"
                + (
                    f"1行に{SUPPORTER_SLOTS}人まで。2人目からは ピアサポーター2・時間2・謝金2 … に入れます"
                    if first
                    else ""
                ),
                "仲間 一郎" if first else "",
            ),
            (hours, False, "活動時間（時間、0.25 刻みなど）。ピアサポーターを入れたら必須", "1.5" if first else ""),
            (pay, False, "謝金（円）。空欄なら登録済みの時給 × 時間で計算します", "1650" if first else ""),
        ]
    register_import(
        ImportKind(
            key="activities",
            label="活動記録",
            resource_class=ActivityResource,
            roles=roles,
            list_url_name="peers:activity_list",
            stable_key="活動日・開始時刻・種別・区域・病院が同じなら同じ活動（1つの活動は1行）",
            notes=(
                "1つの活動を1行に書きます。活動したピアサポーターは同じ行の右側に、1人目を「ピアサポーター1・時間1・謝金1」、"
                f"2人目を「ピアサポーター2・時間2・謝金2」…と、{SUPPORTER_SLOTS}人まで書けます。",
                "ピアサポーターは活動日に有効な誓約書が必要です（要綱第5条5）。誓約書のない人がいる行は取り込めません。",
                "ピアサポーターの列がファイルにあれば、取り込むたびにその活動のピアサポーターを書いた内容に置き換えます"
                "（列がなければ変更しません）。謝金が空欄なら、登録済みの時給 × 時間で計算します。",
                "院内グループワーク・同行外出は病院が必須です。活動日はその年度の委託契約の期間内、区域は契約の担当区域に"
                "してください。実績報告書が承認済みの年度の記録は取り込めません。",
            ),
            columns=(
                ("活動日", True, DATE_FORMAT, "令和8年11月2日"),
                ("開始時刻", True, "時刻（13:30、13時30分）", "13:30"),
                ("終了時刻", True, "時刻", "15:00"),
                ("種別", True, "院内グループワーク・同行外出・退院後グループワーク・個別訪問", "退院後グループワーク"),
                ("区域（保健所）", True, "保健所名（契約の担当区域）。「朝霞」でも可", "朝霞保健所"),
                ("病院", False, "院内グループワーク・同行外出では必須（区域内の精神科病院）", ""),
                ("参加者数", False, "人数（空欄は0）", "6"),
                ("コーディネーター", True, "登録済みのコーディネーターの氏名", "調整 花子"),
                ("支援対象者コード", False, "対象者コード。複数は「、」で区切る（氏名は書かない）", "A-001"),
                ("記録・特記事項", False, "文字（対象者の氏名は書かない）", ""),
                *supporter_groups,
            ),
        )
    )
    register_import(
        ImportKind(
            key="expenditures",
            label="経理（支出）",
            resource_class=ExpenditureResource,
            roles=roles,
            list_url_name="peers:expenditure_list",
            stable_key="支出日・費目・支払先・金額が同じなら同じ支出（委託契約は支出日から決まります）",
            columns=(
                ("支出日", True, DATE_FORMAT + "。その日を含む年度の委託契約に計上します", "令和8年10月1日"),
                ("費目", True, "・".join(label for _value, label in ExpenseCategory.choices), "報償費・謝金"),
                ("金額（円）", True, "整数（1,650円 のようにカンマ・円があっても可）", "16500"),
                ("支払先", True, "文字", "ピアサポーター謝金（10月分）"),
                ("摘要", False, "文字", ""),
            ),
        )
    )
