"""Excel・CSV imports of the outreach program, on the shared engine in `accounts.imports`.

Two kinds (registered in OutreachConfig.ready) for アウトリーチ支援員:

- ``clients`` (支援対象者): stable key = ケース番号 within the importing worker's agency.
- ``contacts`` (対応記録): stable key = ケース番号 + 日付 + 開始時刻 + 種別.

The organisation comes from the user and the **agency** from the importing worker's placement
(never from the file); a case number of another agency or contractor is simply "not found".
Rows are validated by the models' ``clean()`` (cohort and its reason, the (ｱ)〜(ｴ) criteria,
with whom…). Clients are saved through ``outreach.services`` – the same code the screens use – so
case numbers and automatic outcomes are the same. Contacts (up to 10,000 per file) are written per
batch with the same results as ``services.contact_save``: time flags (土日・祝日・年末年始・時間外),
grants, history, audit events and the outcome "つながりの確保" (see ContactResource).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from import_export.fields import Field

from accounts.audit import audit_many
from accounts.imports import (
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    ImportFileError,
    ScopedForeignKeyWidget,
    TenantResource,
    TextWidget,
    TimeWidget,
    normalise_text,
    refuse_formula,
)
from accounts.models import AuditAction, Municipality, Role
from outreach import services
from outreach.models import (
    CLIENT_INPUT_FIELDS,
    CRITERIA,
    Agency,
    Client,
    ClientStatus,
    Contact,
    ContactKind,
    OutreachWorker,
    ReferralRoute,
    Sex,
)
from outreach.search import katakana

#: Shown when the agency cannot be decided (a command run for a contractor with several agencies).
SEVERAL_AGENCIES = (
    "この受託事業者には自立相談支援機関が複数あるため、取込先の機関を決められません。"
    "取込先の機関に配置されたアウトリーチ支援員の画面（Excel・CSV取込）から取り込んでください。"
)
NO_AGENCY = "取込先の自立相談支援機関がありません。県の担当者に機関の登録を依頼してください。"
NOT_PLACED = "アウトリーチ支援員として機関に配置されていないため、取り込めません。県の担当者に配置を依頼してください。"


def importing_agency(
    organisation, user, agency: Agency | None = None
) -> tuple[Agency | None, OutreachWorker | None, str]:
    """(agency, worker, error): the worker's own agency; without a user (the command) the agency it
    names, or else the organisation's only one."""
    if agency is not None:
        if agency.organisation_id != organisation.pk or not agency.is_active:
            return None, None, NO_AGENCY
        return agency, None, ""
    if getattr(user, "is_authenticated", False):
        worker = (
            OutreachWorker.objects.select_related("agency")
            .filter(user_id=user.pk, is_active=True, agency__organisation=organisation)
            .first()
        )
        if worker is None:
            return None, None, NOT_PLACED
        return worker.agency, worker, ""
    agencies = list(Agency.objects.filter(organisation=organisation, is_active=True)[:2])
    if not agencies:
        return None, None, NO_AGENCY
    if len(agencies) > 1:
        return None, None, SEVERAL_AGENCIES
    return agencies[0], None, ""


class KanaWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return katakana(super().clean(value, row, **kwargs))


class NumberWidget(TextWidget):
    """A case number: full-width digits and hyphens (２０２５－０００１) read as half-width."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        return normalise_text(text).replace("ー", "-").replace("−", "-") if text else ""


class CaseNumberWidget(ScopedForeignKeyWidget):
    """A client named by its case number, looked up in the importing agency only."""

    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if value is not None and not isinstance(value, str):
            value = str(value)
        return super().clean(NumberWidget().clean(value), row, **kwargs)


class WorkerWidget(ScopedForeignKeyWidget):
    """A worker of the importing agency by name as the lists show it (「山田 太郎」; spaces ignored)."""

    def __init__(self, **kwargs):
        super().__init__(OutreachWorker, field="pk", label="支援員", **kwargs)

    @staticmethod
    def _key(value) -> str:
        return "".join(normalise_text(value).split())

    def clean(self, value, row=None, **kwargs):
        refuse_formula(value)
        if value is None or not str(value).strip():
            return None
        if self._cache is None:
            cache: dict[str, object] = {}
            for worker in self.queryset.select_related("user"):
                key = self._key(worker.user.display_name)
                cache[key] = None if key in cache else worker
            self._cache = cache
        key = self._key(value)
        if key not in self._cache:
            raise ValueError(f"この機関の支援員「{value}」が見つかりません")
        if self._cache[key] is None:
            raise ValueError(f"この機関に「{value}」という名前の支援員が複数います。画面で選んでください")
        return self._cache[key]


class OutreachResource(TenantResource):
    """An outreach import into the importing worker's agency, saved through the program's services."""

    key_label = ""
    saves_through_services = True  # the services grant access and audit each record, as the screens do
    #: `manage.py import_records --agency` names the agency (the screens take the worker's own).
    accepts_agency = True

    def __init__(self, *, organisation, user, agency: Agency | None = None):
        self.agency, self.worker, self.agency_error = importing_agency(organisation, user, agency)
        super().__init__(organisation=organisation, user=user)
        self._seen: dict[tuple, int] = {}
        self._row_number = 0

    @classmethod
    def find_agency(cls, value: str, *, organisation=None) -> Agency:
        """The active agency `manage.py import_records --agency` names (機関名 or its number)."""
        agencies = Agency.objects.filter(is_active=True).select_related("organisation")
        if organisation is not None:
            agencies = agencies.filter(organisation=organisation)
        wanted = normalise_text(value)
        found = [a for a in agencies if normalise_text(a.name) == wanted or (wanted.isdigit() and a.pk == int(wanted))]
        if not found:
            raise ImportFileError(f"有効な自立相談支援機関「{value}」はありません。機関名を確かめてください。")
        if len(found) > 1:
            raise ImportFileError(
                f"機関名「{value}」の機関が複数の受託事業者にあります。--organisation で受託事業者を指定してください。"
            )
        return found[0]

    def import_data(self, dataset, **kwargs):
        if self.agency_error:  # nothing to import into: one message, no row is looked at
            result = self.get_result_class()()
            result.append_base_error(self.get_error_result_class()(ImportFileError(self.agency_error)))
            return result
        return super().import_data(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self._row_number = kwargs.get("row_number") or self._row_number + 1

    def row_key(self, row) -> tuple | None:
        raise NotImplementedError

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
        return self.stored_instance(instance_loader, row, key)

    def stored_instance(self, instance_loader, row, key: tuple):
        """The stored record the row's key names (import-export's loader: one query per row)."""
        return super().get_instance(instance_loader, row)

    def related_queryset(self, resource_field):
        if resource_field.widget.model is OutreachWorker:
            return OutreachWorker.objects.filter(agency=self.agency) if self.agency else OutreachWorker.objects.none()
        return super().related_queryset(resource_field)

    def _cell(self, name: str, row):
        field = self.fields[name]
        return field.widget.clean(row.get(field.column_name), row=row)

    def do_instance_save(self, instance, is_create):
        self.save_through_service(instance)

    def save_through_service(self, instance) -> None:
        raise NotImplementedError


def _boolean(attribute: str, column: str) -> Field:
    return Field(attribute=attribute, column_name=column, widget=BooleanWidget())


def _text(attribute: str, column: str) -> Field:
    return Field(attribute=attribute, column_name=column, widget=TextWidget())


class ClientResource(OutreachResource):
    key_label = "ケース番号"

    number = Field(attribute="number", column_name="ケース番号", widget=NumberWidget())
    registered_on = Field(attribute="registered_on", column_name="受付日", widget=DateWidget())
    name = _text("name", "氏名")
    name_kana = Field(attribute="name_kana", column_name="フリガナ", widget=KanaWidget())
    birth_date = Field(attribute="birth_date", column_name="生年月日", widget=DateWidget())
    sex = Field(attribute="sex", column_name="性別", widget=ChoiceWidget(Sex.choices))
    municipality = Field(
        attribute="municipality",
        column_name="住所の市町村",
        widget=ScopedForeignKeyWidget(Municipality, field="name", label="市町村"),
    )
    address = _text("address", "住所（市町村以下）")
    phone = _text("phone", "電話番号")
    email = _text("email", "メールアドレス")
    contact_note = _text("contact_note", "連絡方法の留意点")
    referral_route = Field(
        attribute="referral_route", column_name="相談経路", widget=ChoiceWidget(ReferralRoute.choices)
    )
    referral_note = _text("referral_note", "相談経路の詳細")
    in_hardship = _boolean("in_hardship", "生活困窮者に該当する")
    outside_cohort_reason = _text("outside_cohort_reason", "範囲外でも支援対象とする理由")
    criterion_other_note = _text("criterion_other_note", "(ｴ)の内容")
    worker = Field(attribute="worker", column_name="担当支援員", widget=WorkerWidget(), saves_null_values=False)
    status = Field(attribute="status", column_name="状況", widget=ChoiceWidget(ClientStatus.choices))
    closed_on = Field(attribute="closed_on", column_name="終結日", widget=DateWidget())
    closed_reason = _text("closed_reason", "終結の理由")
    note = _text("note", "備考")

    class Meta:
        model = Client
        fields = CLIENT_INPUT_FIELDS
        import_id_fields = ("number",)
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True
        skip_diff = True

    def related_queryset(self, resource_field):
        if resource_field.widget.model is Municipality:
            return Municipality.objects.all()
        return super().related_queryset(resource_field)

    def get_queryset(self):
        return Client.objects.filter(organisation=self.organisation, agency=self.agency)

    def row_key(self, row):
        number = self._cell("number", row)
        if not number:
            raise ValidationError(
                "ケース番号を入力してください（もう一度取り込んだときに同じ人を更新するための番号です）。"
            )
        return (number,)

    def init_instance(self, row=None):
        instance = super().init_instance(row)
        instance.agency = self.agency
        instance.worker = self.worker
        return instance

    def save_through_service(self, instance) -> None:
        services.client_save(client=instance, by=self.user)


for _field, _label in CRITERIA:  # (ｱ)〜(ｴ), headed as the lists and the summary show them
    ClientResource.fields[_field] = _boolean(_field, _label)


class ContactResource(OutreachResource):
    """Contacts are written per batch of 1,000 rows (see TenantResource), not through
    `services.contact_save` row by row: the same rules and the same results with a constant number
    of queries per batch. Contact.save()'s time flags are computed in `save_instance`; the outcome
    "つながりの確保" is recorded once per client after the last batch (`after_import`); each
    contact's create/update audit event is written per batch, as contact_save writes it."""

    key_label = "ケース番号・日付・開始時刻・種別"
    saves_through_services = False  # the bulk writes grant access and audit each contact

    client = Field(
        attribute="client",
        column_name="ケース番号",
        widget=CaseNumberWidget(Client, field="number", label="ケース番号"),
    )
    date = Field(attribute="date", column_name="日付", widget=DateWidget())
    start_time = Field(attribute="start_time", column_name="開始時刻", widget=TimeWidget())
    end_time = Field(attribute="end_time", column_name="終了時刻", widget=TimeWidget())
    kind = Field(attribute="kind", column_name="種別", widget=ChoiceWidget(ContactKind.choices))
    with_person = _boolean("with_person", "本人")
    with_family = _boolean("with_family", "家族")
    with_agency = _boolean("with_agency", "関係機関")
    agency_note = _text("agency_note", "関係機関名")
    first_connection = _boolean("first_connection", "本人との初めてのつながり")
    worker = Field(attribute="worker", column_name="支援員", widget=WorkerWidget(), saves_null_values=False)
    summary = _text("summary", "内容")

    class Meta:
        model = Contact
        fields = (
            "client",
            "date",
            "start_time",
            "end_time",
            "kind",
            "with_person",
            "with_family",
            "with_agency",
            "agency_note",
            "first_connection",
            "worker",
            "summary",
        )
        import_id_fields = ("client", "date", "start_time", "kind")
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True
        skip_diff = True
        use_bulk = True
        batch_size = 1000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._stored: dict[tuple, Contact | None] | None = None
        self._workers: dict[int, OutreachWorker] | None = None
        #: client pk → the date of its first row marked 本人との初めてのつながり, in the file's order
        self._first_connections: dict[int, object] = {}
        self._file_days: tuple | None = None

    def related_queryset(self, resource_field):
        if resource_field.widget.model is Client:
            return Client.objects.filter(organisation=self.organisation, agency=self.agency)
        return super().related_queryset(resource_field)

    def get_queryset(self):
        return Contact.objects.filter(organisation=self.organisation, client__agency=self.agency)

    def row_key(self, row):
        key = tuple(self._cell(name, row) for name in ("client", "date", "start_time", "kind"))
        if any(part in (None, "") for part in key):
            return None  # a missing key cell is reported by its column (required by the model)
        return key

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # The stored contacts the rows can name lie between the file's first and last date: only those
        # are loaded (not every year of the agency's history). A date that cannot be read names none.
        field = self.fields["date"]
        days = []
        for row in dataset.dict:
            try:
                day = field.widget.clean(row.get(field.column_name), row=row)
            except (ValueError, ValidationError):
                continue
            if day:
                days.append(day)
        self._file_days = (min(days), max(days)) if days else None

    def stored_instance(self, instance_loader, row, key):
        """The agency's stored contacts of the file's dates, loaded once per import and keyed as the
        loader compares them."""
        if self._stored is None:
            stored: dict[tuple, Contact | None] = {}
            within = Contact.objects.none()
            if self._file_days:
                within = self.get_queryset().filter(date__range=self._file_days)
            for contact in within.order_by():
                found = (contact.client_id, contact.date, contact.start_time, contact.kind)
                stored[found] = None if found in stored else contact
            self._stored = stored
        client, *rest = key
        found = (client.pk, *rest)
        if found in self._stored and self._stored[found] is None:
            raise ValidationError(
                f"登録済みの記録に、{self.key_label}が同じものが2件以上あるため、どれを更新するか決められません。"
                "画面で重複を整理してから取り込んでください。"
            )
        return self._stored.get(found)

    def init_instance(self, row=None):
        instance = super().init_instance(row)
        instance.worker = self.worker
        return instance

    def clean_instance(self, instance) -> None:
        """Contact.clean, with a stored contact's worker taken from the workers loaded once."""
        if instance.worker_id is not None and not Contact.worker.is_cached(instance):
            if self._workers is None:
                self._workers = {w.pk: w for w in OutreachWorker.objects.filter(organisation=self.organisation)}
            if instance.worker_id in self._workers:
                instance.worker = self._workers[instance.worker_id]
        instance.clean()

    def resolved_fields(self, instance) -> set[str]:
        # a stored contact keeps its creator (the import never sets it): no query to see that it exists
        resolved = super().resolved_fields(instance)
        return resolved | {"created_by"} if instance.pk else resolved

    def unchanged(self, instance) -> bool:
        """A row equal to its stored contact is still an update, as contact_save makes it (a history
        row and an audit event; the re-imported export counts as 更新)."""
        return False

    def save_instance(self, instance, is_create, row, **kwargs):
        instance.classify()  # what Contact.save() computes: bulk writes do not call it
        if instance.first_connection:
            self._first_connections.setdefault(instance.client_id, instance.date)
        super().save_instance(instance, is_create, row, **kwargs)

    def after_bulk_write(self, instances, *, created):
        audit_many(self.user, AuditAction.CREATE if created else AuditAction.UPDATE, instances)

    def after_import(self, dataset, result, **kwargs):
        """The outcome "つながりの確保", as contact_save records it for each row in turn: once per client
        not yet connected, on the date of its first such row in the file."""
        if not (kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors()):
            services.record_connections_once(
                organisation=self.organisation, agency=self.agency, first_days=self._first_connections, by=self.user
            )
        super().after_import(dataset, result, **kwargs)


CLIENT_COLUMNS = (
    ("ケース番号", True, "機関ごとの番号（例: 2025-0001）。同じ番号の行は既存の支援対象者を更新します", "2025-0001"),
    ("受付日", False, "日付（空欄なら今日）", "令和7年4月1日"),
    ("氏名", True, "文字", "山田 太郎"),
    ("フリガナ", True, "カタカナ（ひらがな・半角ｶﾅも可）", "ヤマダ タロウ"),
    ("生年月日", True, "日付（昭和50年5月5日、S50.5.5 なども可）", "昭和50年5月5日"),
    ("性別", True, "、".join(label for _v, label in Sex.choices), "男性"),
    ("住所の市町村", True, "埼玉県内の市町村名", "春日部市"),
    ("住所（市町村以下）", False, "文字", ""),
    ("電話番号", False, "文字", ""),
    ("メールアドレス", False, "メールアドレス", ""),
    ("連絡方法の留意点", False, "文字", ""),
    ("相談経路", True, "、".join(label for _v, label in ReferralRoute.choices), "家族"),
    ("相談経路の詳細", False, "文字", ""),
    ("生活困窮者に該当する", True, "はい／いいえ（支援対象は「はい」のみ）", "はい"),
    ("範囲外でも支援対象とする理由", False, "生年月日が就職氷河期世代の範囲外の場合は必須", ""),
    *(
        (
            label,
            False,
            "はい／いいえ。(ｱ)〜(ｴ)のいずれかは「はい」" if n == 0 else "はい／いいえ",
            "はい" if n == 0 else "いいえ",
        )
        for n, (_field, label) in enumerate(CRITERIA)
    ),
    ("(ｴ)の内容", False, "(ｴ)が「はい」の場合は必須", ""),
    ("担当支援員", False, "この機関の支援員の氏名（空欄なら取り込む支援員）", ""),
    ("状況", False, "、".join(label for _v, label in ClientStatus.choices) + "（空欄なら新規）", "新規"),
    ("終結日", False, "状況が終結の場合は必須", ""),
    ("終結の理由", False, "状況が終結の場合は必須", ""),
    ("備考", False, "文字", ""),
)

CONTACT_COLUMNS = (
    ("ケース番号", True, "この機関の支援対象者のケース番号", "2025-0001"),
    ("日付", True, "日付", "令和7年4月6日"),
    ("開始時刻", True, "時刻（9:30、13時 など）", "10:00"),
    ("終了時刻", True, "時刻（開始より後）", "11:00"),
    ("種別", True, "、".join(label for _v, label in ContactKind.choices), "自宅訪問"),
    ("本人", False, "はい／いいえ。本人・家族・関係機関のいずれかは「はい」", "はい"),
    ("家族", False, "はい／いいえ", "いいえ"),
    ("関係機関", False, "はい／いいえ", "いいえ"),
    ("関係機関名", False, "文字", ""),
    ("本人との初めてのつながり", False, "はい／いいえ（本人と対応した記録のみ）", "いいえ"),
    ("支援員", False, "対応した支援員の氏名（空欄なら取り込む支援員）", ""),
    ("内容", True, "文字", "自宅を訪問し、母親と面談。"),
)


def register_kinds() -> None:
    from accounts.import_registry import ImportKind, register_import

    register_import(
        ImportKind(
            key="clients",
            label="支援対象者",
            resource_class=ClientResource,
            roles=(Role.OUTREACH_WORKER,),
            list_url_name="outreach:client_list",
            stable_key="ケース番号が同じなら同じ支援対象者（取り込む支援員の機関の中で）",
            columns=CLIENT_COLUMNS,
        )
    )
    register_import(
        ImportKind(
            key="contacts",
            label="対応記録",
            resource_class=ContactResource,
            roles=(Role.OUTREACH_WORKER,),
            list_url_name="outreach:contact_list",
            stable_key="ケース番号・日付・開始時刻・種別が同じなら同じ対応記録",
            columns=CONTACT_COLUMNS,
        )
    )
