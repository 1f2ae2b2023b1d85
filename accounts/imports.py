"""Importing the spreadsheets Japanese offices actually send, with django-import-export.

- Files: .xlsx (date cells are dates) or .csv in UTF-8 with or without BOM or CP932 (Shift_JIS from
  Japanese Excel), detected automatically; size and row limits with a clear message.
- Cells: full-width digits and spaces, dates as 2025/4/1, 2025-04-01, R7.4.1, 令和7年4月1日, H31.4.30,
  choices by their Japanese label; headers in Japanese (the UI's labels), in any column order.
- Every import is dry-run first and atomic: one bad row and nothing is written; errors read
  "行 12・列「活動日」: 日付として読めません（例: 令和7年4月1日）" (row numbers as Excel shows them).
- The organisation always comes from the user, never from the file; the same model rules
  (full_clean) and the year lock apply as in the forms.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import router
from django.db.models import CheckConstraint
from django.utils import timezone
from import_export import resources, widgets
from import_export.results import RowResult
from openpyxl import load_workbook

from accounts.audit import audit
from accounts.models import AuditAction, Organisation
from accounts.periods import check_period_open, locked_fiscal_years
from accounts.permissions import grant_organisation_access_bulk
from accounts.wareki import parse_date

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
TOO_LARGE = (
    f"ファイルが大きすぎます（上限 {MAX_UPLOAD_BYTES // (1024 * 1024)}MB）。ファイルを分けて取り込んでください。"
)
_XLSX_MAGIC = b"PK\x03\x04"
_UNKNOWN = object()


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the user, in Japanese."""


class _ImportStopped(Exception):
    """Raised inside the engine when the file as a whole was refused before its first row."""


def normalise_text(value) -> str:
    """NFKC (full-width digits and letters to half-width, half-width kana to full-width), trimmed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def decode_csv(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        "文字コードを判別できません。UTF-8 または Shift_JIS（CP932）で保存した CSV を選んでください。"
    )


def read_upload(filename: str, content: bytes) -> tablib.Dataset:
    """The table in an uploaded .csv or .xlsx, headers normalised, trailing empty rows dropped."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportFileError(TOO_LARGE)
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        if not content.startswith(_XLSX_MAGIC):
            raise ImportFileError("Excel（.xlsx）ファイルとして読めません。ファイルが壊れていないか確認してください。")
        rows = _xlsx_rows(content)
    elif lower.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(decode_csv(content))))
    else:
        raise ImportFileError("CSV（.csv）または Excel（.xlsx）のファイルを選んでください。")
    while rows and all(_blank(cell) for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ImportFileError("ファイルが空です。1行目に見出し、2行目からデータを入れてください。")
    header = [normalise_text(cell) if cell is not None else "" for cell in rows[0]]
    data = rows[1:]
    if not data:
        raise ImportFileError("データの行がありません。2行目からデータを入れてください。")
    if len(data) > MAX_ROWS:
        raise ImportFileError(f"行数が多すぎます（上限 {MAX_ROWS:,} 行）。ファイルを分けて取り込んでください。")
    width = len(header)
    dataset = tablib.Dataset(headers=header)
    for row in data:
        cells = list(row)[:width]
        dataset.append(cells + [""] * (width - len(cells)))
    return dataset


def _xlsx_rows(content: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ImportFileError(
            "Excel（.xlsx）ファイルとして読めません。ファイルが壊れていないか確認してください。"
        ) from error
    sheet = workbook["データ"] if "データ" in workbook.sheetnames else workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- widgets: one cell → one Python value, with a Japanese error -------------------------------


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return ""
        return str(value).strip()  # str.strip() also removes full-width spaces


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int | float) and 20000 < value < 80000:  # an unformatted Excel serial date
            return date(1899, 12, 30) + timedelta(days=int(value))
        try:
            return parse_date(str(value))
        except ValueError:
            raise ValueError("日付として読めません（例: 令和7年4月1日、2025/4/1）") from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class TimeWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, datetime):
            return value.time().replace(second=0, microsecond=0)
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0)
        if isinstance(value, float) and 0 <= value < 1:  # Excel time as a fraction of a day
            minutes = round(value * 24 * 60)
            return time(minutes // 60, minutes % 60)
        text = normalise_text(value).replace("時", ":").replace("分", "").replace("：", ":")
        hours, _, minutes = text.partition(":") if ":" in text else (text[:-2] or "0", "", text[-2:])
        try:
            return time(int(hours), int(minutes or 0))
        except ValueError:
            raise ValueError("時刻として読めません（例: 9:30、13:00）") from None

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%H:%M") if value else ""


def _number_text(value) -> str:
    return normalise_text(value).replace(",", "").replace("円", "").replace("時間", "").replace("人", "")


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, int | float) and float(value).is_integer():
            return int(value)
        try:
            return int(Decimal(_number_text(value)))
        except (InvalidOperation, ValueError):
            raise ValueError("整数として読めません（例: 12）") from None


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        try:
            return Decimal(str(value)) if isinstance(value, int | float) else Decimal(_number_text(value))
        except InvalidOperation:
            raise ValueError("数値として読めません（例: 1.5）") from None


class BooleanWidget(widgets.Widget):
    TRUE = {"はい", "○", "◯", "有", "あり", "済", "1", "true", "yes", "y"}
    FALSE = {"いいえ", "×", "無", "なし", "未", "0", "false", "no", "n", "-", "ー"}

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return False
        if isinstance(value, bool):
            return value
        text = normalise_text(value).lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError("「はい」か「いいえ」で入力してください")

    def render(self, value, obj=None, **kwargs):
        return "はい" if value else "いいえ"


class ChoiceWidget(widgets.Widget):
    """A choice by its Japanese label (as the UI shows it) or by its stored value."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)
        self.lookup = {}
        for stored, label in self.choices:
            self.lookup[normalise_text(label)] = stored
            self.lookup[normalise_text(stored)] = stored

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return ""
        try:
            return self.lookup[normalise_text(value)]
        except KeyError:
            labels = "、".join(str(label) for _stored, label in self.choices)
            raise ValueError(f"「{value}」は選べません（選べる値: {labels}）") from None

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value)


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related record named by a column (code, name…), looked up only where the resource may look.

    The resource passes the queryset (e.g. the organisation's own supporters), so a file can never
    point at another organisation's record: it is simply "not found".
    """

    def __init__(self, model, field="pk", *, label: str = "", **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label or model._meta.verbose_name
        self.queryset = model._default_manager.none()
        self._cache: dict[str, object] | None = None

    def use_queryset(self, queryset) -> None:
        self.queryset = queryset
        self._cache = None

    def get_queryset(self, value, row, *args, **kwargs):
        return self.queryset

    def key(self, value) -> str:
        """How a cell and a record's field are compared (subclasses may loosen it, e.g. ignore spaces)."""
        return normalise_text(value)

    def lookup(self) -> dict[str, object]:
        """key → record, built once per import; a key two records share maps to None (ambiguous)."""
        if self._cache is None:
            cache: dict[str, object] = {}
            for obj in self.queryset:
                key = self.key(getattr(obj, self.field))
                cache[key] = None if key in cache else obj
            self._cache = cache
        return self._cache

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        cache = self.lookup()
        key = self.key(value)
        if key not in cache:
            raise ValueError(f"{self.label}「{value}」が見つかりません")
        if cache[key] is None:
            raise ValueError(f"{self.label}「{value}」に当たる記録が複数あります。区別できる値にしてください")
        return cache[key]


# --- the resource every tenant import uses ------------------------------------------------------


class TenantResource(resources.ModelResource):
    """Imports into one organisation: scoped lookups, model rules, the year lock, grants and audit.

    Subclasses declare fields with Japanese `column_name`s (the UI labels) and the widgets above,
    and `import_id_fields` naming the stable key that makes re-importing a file update rather than
    duplicate.

    Speed: every lookup a row needs is loaded once per import (scoped foreign keys, the frozen
    年度, and whatever a subclass preloads for `clean_instance`), so validating a row asks the
    database nothing. With `use_bulk` in Meta the rows are then written per batch: one bulk
    insert (or update) of the records, of their history rows and of their permission grants, and
    `after_bulk_write` for child rows. A resource that saves through a program's service instead
    sets `saves_through_services`: the service grants access, so the engine does not.
    """

    #: The service the resource saves through grants access and writes the audit row per record.
    saves_through_services = False
    #: The resource takes `agency=` (an outreach agency; `manage.py import_records --agency`).
    accepts_agency = False
    #: Foreign keys `clean_instance` sets from preloaded data: not looked up again per row.
    preloaded_fields: tuple[str, ...] = ()

    def __init__(self, *, organisation: Organisation, user):
        super().__init__()
        self.organisation = organisation
        self.user = user
        self._created_ids: list[int] = []
        self._locked_years: dict[str, set[int]] = {}
        self._rows_started = False
        self._stopped_result = None
        self._unchanged_row = False
        self._import_fields = None
        for resource_field in self.fields.values():
            if isinstance(resource_field.widget, ScopedForeignKeyWidget):
                resource_field.widget.use_queryset(self.related_queryset(resource_field))

    class Meta:
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        """import-export reports an error of before_import and then imports the rows anyway: here a
        file refused as a whole (a ValidationError in before_import, say) stops before its first row."""
        self._rows_started, self._stopped_result = False, None
        try:
            return super().import_data_inner(
                dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
            )
        except _ImportStopped:
            return self._stopped_result

    def before_import_row(self, row, **kwargs):
        self._rows_started = True
        super().before_import_row(row, **kwargs)

    def handle_import_error(self, result, error, raise_errors=False):
        super().handle_import_error(result, error, raise_errors)
        if not self._rows_started and result is not None:
            self._stopped_result = result
            raise _ImportStopped

    def get_import_fields(self):
        # import-export works the ordered list out again for every row; the fields do not change
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # import-export's version formats two debug messages for every skipped cell, logged or not
        # (16 of an activity row's 26 columns): the same checks without them.
        if field.attribute and field.column_name in row:
            field.save(instance, row, is_m2m, **kwargs)

    def related_queryset(self, resource_field):
        """The records a foreign-key column may name: by default the organisation's own."""
        model = resource_field.widget.model
        try:
            owner = model._meta.get_field("organisation")
        except FieldDoesNotExist:
            owner = None
        if owner is not None and owner.concrete:  # not a reverse relation such as HealthCentre.organisation
            return model._default_manager.filter(organisation=self.organisation)
        return model._default_manager.all()

    def get_queryset(self):
        return self._meta.model._default_manager.filter(organisation=self.organisation)

    def init_instance(self, row=None):
        instance = super().init_instance(row)
        instance.organisation = self.organisation
        instance.created_by = self.user if getattr(self.user, "is_authenticated", False) else None
        return instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        errors = self.model_errors(
            instance,
            exclude=set(errors) | self.resolved_fields(instance),
            validate_unique=validate_unique,
            errors=errors,
        )
        try:
            if instance.pk:
                stored_day = getattr(instance, "_import_stored_period_date", _UNKNOWN)
                if stored_day is _UNKNOWN:
                    stored_day = type(instance)._default_manager.get(pk=instance.pk).period_date()
                self._ensure_period_open(instance.program, stored_day)
            self._ensure_period_open(instance.program, instance.period_date())
        except ValidationError as error:
            errors.setdefault(NON_FIELD_ERRORS, []).extend(error.messages)
        if errors:
            raise ValidationError(errors)

    def model_errors(self, instance, *, exclude: set[str], validate_unique: bool, errors: dict) -> dict:
        """Model.full_clean, step by step, with `clean_instance` in place of `clean()`."""
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.clean_instance(instance)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        exclude = exclude | {name for name in errors if name != NON_FIELD_ERRORS}
        if validate_unique:
            try:
                instance.validate_unique(exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        try:
            self.validate_constraints(instance, exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        return errors

    def clean_instance(self, instance) -> None:
        """The model's own rules; a subclass calls the same rule with the data it preloaded."""
        instance.clean()

    def validate_constraints(self, instance, *, exclude: set[str]) -> None:
        """The model's constraints. A bulk import leaves check constraints to the database (each one
        is also a rule of the model's clean() with a Japanese message; a violation still fails the
        whole import) instead of asking the database one query per constraint and row."""
        if not self._meta.use_bulk:
            instance.validate_constraints(exclude=exclude)
            return
        errors: dict = {}
        using = router.db_for_write(type(instance), instance=instance)
        for model_class, constraints in instance.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, CheckConstraint):
                    continue
                try:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
                except ValidationError as error:
                    fields = getattr(constraint, "fields", ())
                    if getattr(error, "code", None) == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def resolved_fields(self, instance) -> set[str]:
        """Foreign keys this import already resolved (scoped lookups, the importing user): full_clean
        need not ask the database again whether they exist, one query each per row. A field that
        takes part in a model constraint is still validated, so the constraint is."""
        model = type(instance)
        in_constraints = {name for c in model._meta.constraints for name in getattr(c, "fields", ())}
        in_constraints |= {name for names in model._meta.unique_together for name in names}
        resolved = {name for name in self.preloaded_fields if name not in in_constraints}
        if "organisation" not in in_constraints and instance.__dict__.get("organisation_id") == self.organisation.pk:
            resolved.add("organisation")
        created_by = instance.__dict__.get("created_by_id")
        if (
            "created_by" not in in_constraints
            and created_by is not None
            and created_by == getattr(self.user, "pk", None)
        ):
            resolved.add("created_by")
        for resource_field in self.fields.values():
            name = resource_field.attribute
            if (
                name
                and isinstance(resource_field.widget, ScopedForeignKeyWidget)
                and name not in in_constraints
                and instance.__dict__.get(f"{name}_id") is not None
            ):
                resolved.add(name)
        return resolved

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if not new:  # the 年度 the record is in now, before the file changes its date
            instance._import_stored_period_date = instance.period_date()
            if self._meta.use_bulk:
                instance._import_stored_values = self._values(instance)

    # --- unchanged rows (bulk imports): nothing written, no history row ---------------------------

    @staticmethod
    def _values(instance) -> dict:
        return {
            f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if f.name != "updated_at"
        }

    def unchanged(self, instance) -> bool:
        """Does this existing record, as the file has it, equal what is stored (children included)?"""
        stored = getattr(instance, "_import_stored_values", None)
        return stored is not None and stored == self._values(instance) and not self.children_changed(instance)

    def children_changed(self, instance) -> bool:
        """Subclasses with child rows (an activity's supporters) compare them here."""
        return False

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if self._unchanged_row:  # re-importing the same file leaves such rows alone: 「変更なし」
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            self._unchanged_row = False

    def _ensure_period_open(self, program, day) -> None:
        """The year lock, on the frozen 年度 loaded once per import rather than asked per row."""
        if day is None:
            return
        if program not in self._locked_years:
            self._locked_years[program] = locked_fiscal_years(organisation=self.organisation, program=program)
        check_period_open(program=program, day=day, locked_years=self._locked_years[program])

    def save_instance(self, instance, is_create, row, **kwargs):
        if self._meta.use_bulk and not is_create and self.unchanged(instance):
            self._unchanged_row = True
            return
        super().save_instance(instance, is_create, row, **kwargs)
        if is_create and instance.pk and not self.saves_through_services:
            self._created_ids.append(instance.pk)

    # --- bulk writes (Meta.use_bulk): a constant number of queries per batch ----------------------

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._bulk_write(
            self.create_instances,
            created=True,
            batch_size=batch_size,
            result=result,
            raise_errors=raise_errors,
            write=using_transactions or not dry_run,
        )

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._bulk_write(
            self.update_instances,
            created=False,
            batch_size=batch_size,
            result=result,
            raise_errors=raise_errors,
            write=using_transactions or not dry_run,
        )

    def _bulk_write(self, pending: list, *, created: bool, batch_size, result, raise_errors, write: bool) -> None:
        instances = list(pending)
        pending.clear()
        if not instances or not write:
            return
        if result is not None and (result.has_errors() or result.has_validation_errors()):
            return  # the import will be rolled back: writing the rest would only take time
        model = self._meta.model
        try:
            if created:
                model._default_manager.bulk_create(instances, batch_size=batch_size)
                grant_organisation_access_bulk(instances, self.organisation)
            else:
                now = timezone.now()
                for instance in instances:
                    if hasattr(instance, "updated_at"):
                        instance.updated_at = now
                model._default_manager.bulk_update(instances, self.get_bulk_update_fields(), batch_size=batch_size)
            history = getattr(model._meta, "simple_history_manager_attribute", None)
            if history:
                user = self.user if getattr(self.user, "is_authenticated", False) else None
                getattr(model, history).bulk_history_create(
                    instances, batch_size=batch_size, update=not created, default_user=user
                )
            self.after_bulk_write(instances, created=created)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)

    def get_bulk_update_fields(self) -> list[str]:
        """Every column an import may change: not the key, owner, creator or creation time."""
        fixed = {"organisation", "created_at", "created_by"}
        return [f.name for f in self._meta.model._meta.concrete_fields if not f.primary_key and f.name not in fixed]

    def after_bulk_write(self, instances: list, *, created: bool) -> None:
        """Child rows of a written batch (the records have their primary keys now)."""

    def after_import(self, dataset, result, **kwargs):
        # Not ModelResource.after_import: it resets the table's id sequence to max(id) after new rows
        # (meant for files that carry ids). Ours never do, and on PostgreSQL the reset can hand out
        # again an id that another user's open transaction already took.
        resources.Resource.after_import(self, dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        if self._created_ids:  # rows saved one by one (bulk batches are granted as they are written)
            created = self._meta.model._default_manager.filter(pk__in=set(self._created_ids))
            grant_organisation_access_bulk(created, self.organisation)
        totals = result.totals
        audit(
            self.user,
            AuditAction.IMPORT,
            object_type=self._meta.model._meta.label,
            organisation=self.organisation,
            detail=f"new={totals.get('new', 0)} update={totals.get('update', 0)} rows={result.total_rows}",
        )


@dataclass
class ImportOutcome:
    """What a (dry or real) import did, in words a user reads."""

    total_rows: int
    new: int = 0
    update: int = 0
    unchanged: int = 0  # rows equal to what is stored (bulk kinds): left as they are
    errors: list[str] = field(default_factory=list)
    preview: list[tuple[int, str, list]] = field(default_factory=list)  # (row, 新規/更新, values)

    @property
    def ok(self) -> bool:
        return not self.errors


def missing_columns(resource: TenantResource, dataset: tablib.Dataset, required: list[str]) -> list[str]:
    headers = set(dataset.headers or [])
    return [column for column in required if column not in headers]


_BRACKETS = str.maketrans({"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "〈": "(", "〉": ")"})


def header_key(text) -> str:
    """How a file's header is compared with a column name: NFKC (（）→(), ｱ→ア, full-width letters and
    digits), without any spaces (half- or full-width), with 【】［］〔〕 read as ()."""
    return "".join(normalise_text(text).split()).translate(_BRACKETS)


def use_column_names(resource: TenantResource, dataset: tablib.Dataset) -> None:
    """Headers as the resource spells them, whatever variant the file uses: 「区域(保健所)」「区域（保健所）」
    「区域 （保健所）」, 「（ア）　ひきこもり状態」 for 「(ｱ) ひきこもり状態」, 「氏　名」 for 「氏名」."""
    names = {header_key(f.column_name): f.column_name for f in resource.fields.values() if f.column_name}
    if dataset.headers:
        dataset.headers = [names.get(header_key(header), header) for header in dataset.headers]


def run_import(
    resource: TenantResource, dataset: tablib.Dataset, *, dry_run: bool, required: list[str]
) -> ImportOutcome:
    """Import all or nothing. Dry run: roll back and report what would happen."""
    outcome = ImportOutcome(total_rows=len(dataset))
    use_column_names(resource, dataset)
    missing = missing_columns(resource, dataset, required)
    if missing:
        outcome.errors = [f"列「{column}」がありません。テンプレートの見出しを使ってください。" for column in missing]
        return outcome
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    labels = {name: f.column_name for name, f in resource.fields.items()}
    labels.update({f.attribute: f.column_name for f in resource.fields.values() if f.attribute})
    for error in result.base_errors:
        outcome.errors.append(f"ファイル全体: {_file_error(error.error)}")
    for number, row_errors in result.row_errors():
        for error in row_errors:
            outcome.errors.append(f"行 {number + 1}: {_plain(error.error)}")
    for invalid in result.invalid_rows:
        for attribute, messages in invalid.error_dict.items():
            for message in messages:
                if attribute == NON_FIELD_ERRORS:
                    outcome.errors.append(f"行 {invalid.number + 1}: {message}")
                else:
                    outcome.errors.append(
                        f"行 {invalid.number + 1}・列「{labels.get(attribute, attribute)}」: {message}"
                    )
    outcome.errors.sort(key=_row_sort_key)
    outcome.new = result.totals.get("new", 0)
    outcome.update = result.totals.get("update", 0)
    outcome.unchanged = result.totals.get("skip", 0)
    for number, row_result in enumerate(result.rows, start=1):
        if row_result.import_type in ("new", "update"):
            outcome.preview.append(
                (number + 1, "新規" if row_result.import_type == "new" else "更新", list(dataset[number - 1]))
            )
    return outcome


def _plain(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or error.__class__.__name__


def _file_error(error: Exception) -> str:
    if isinstance(error, ValidationError | ImportFileError):
        return _plain(error)
    return f"保存中に問題が起きたため、何も保存していません（{error.__class__.__name__}: {error}）。"


def _row_sort_key(message: str) -> tuple[int, str]:
    if message.startswith("行 "):
        digits = message[2:].split("・")[0].split(":")[0]
        if digits.isdigit():
            return int(digits), message
    return 0, message
