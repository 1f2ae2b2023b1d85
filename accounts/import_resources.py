"""The resource every tenant import uses: scoped lookups, the models' rules, the year lock, bulk writes.

Subclasses live with their program (`peers/resources.py`, `outreach/resources.py`); `accounts.imports`
runs them (`run_import`) and re-exports this module's names.
"""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import router
from django.db.models import CheckConstraint
from django.utils import timezone
from import_export import resources
from import_export.results import RowResult

from accounts.audit import audit
from accounts.import_widgets import ChoiceWidget, ScopedForeignKeyWidget
from accounts.models import AuditAction, Organisation
from accounts.periods import check_period_open, locked_fiscal_years
from accounts.permissions import grant_organisation_access_bulk
from accounts.wareki import to_wareki

_UNKNOWN = object()


REQUIRED = "入力してください。"
EXAMPLE_MARKS = ("（記入例）", "(記入例)")


def is_example_row(row) -> bool:
    """The template's example row: its first column starts with 「（記入例）」."""
    first = next(iter(row.values()), None)
    return isinstance(first, str) and first.lstrip().startswith(EXAMPLE_MARKS)


def shown_value(widget, value) -> str:
    """A value as the preview shows it: dates in 和暦, times as 13:30, choices by their label."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, date):
        return to_wareki(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(widget, ChoiceWidget):
        return str(widget.render(value))
    return str(value)


def _required_in_words(error: ValidationError) -> ValidationError:
    """Django's 「NULL を指定できません」/「入力必須です」 of an empty cell, as the import says it."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {
            name: [
                ValidationError(REQUIRED, code="required") if item.code in ("null", "blank", "required") else item
                for item in items
            ]
            for name, items in error.error_dict.items()
        }
    )


class _ImportStopped(Exception):
    """Raised inside the engine when the file as a whole was refused before its first row."""


class TenantResource(resources.ModelResource):
    """Imports into one organisation: scoped lookups, model rules, the year lock, grants and audit.

    Subclasses declare fields with Japanese `column_name`s (the UI labels) and the widgets above,
    and `import_id_fields` naming the stable key that makes re-importing a file update rather than
    duplicate.

    Speed: every lookup a row needs is loaded once per import (scoped foreign keys, the frozen
    年度, and whatever a subclass preloads for `clean_instance`), so validating a row asks the
    database nothing. With `use_bulk` in Meta the rows are then written per batch: one bulk
    insert (or update) of the records and of their permission grants, `after_bulk_write` for child
    rows, then one insert of their history rows (`after_bulk_history` completes them). A resource
    that saves through a program's service instead sets `saves_through_services`: the service
    grants access, so the engine does not.
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
        self._locked_years: dict[tuple[str, int | None], set[int]] = {}
        self._rows_started = False
        self._stopped_result = None
        self._unchanged_row = False
        self._import_fields = None
        self.example_rows = 0
        #: row number → {column: what the preview shows}: values as read, 「旧 → 新」 for a changed one
        self.preview_cells: dict[int, dict[str, str]] = {}
        self._related_names: dict[int, dict] = {}
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

    def import_row(self, row, instance_loader, **kwargs):
        if is_example_row(row):  # the template's 「（記入例）」 row is not a record
            self.example_rows += 1
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            return row_result
        return super().import_row(row, instance_loader, **kwargs)

    # --- the preview: values as read, and what an update changes ---------------------------------

    def _remember_preview(self, instance, new: bool, row, number) -> None:
        """Before the file changes an existing record: its values as the preview shows them."""
        instance._import_preview = (number, row, None if new else self._shown_values(instance, row))

    def _record_preview(self, instance) -> None:
        """After every column of the row is read (subclasses' defaults included): what will be stored."""
        number, row, before = getattr(instance, "_import_preview", (None, None, None))
        if number is None:
            return
        after = self._shown_values(instance, row)
        if before is not None:
            after = {
                column: f"{before[column]} → {value}" if before[column] != value else value
                for column, value in after.items()
            }
        self.preview_cells[number] = after

    def _shown_values(self, instance, row) -> dict[str, str]:
        shown = {}
        for resource_field in self.get_import_fields():
            name = resource_field.attribute
            if not name or resource_field.column_name not in row or "__" in name:
                continue
            widget = resource_field.widget
            if isinstance(widget, ScopedForeignKeyWidget):
                related = instance._state.fields_cache.get(name)
                pk = instance.__dict__.get(f"{name}_id")
                if related is not None and related.pk == pk:
                    shown[resource_field.column_name] = str(related)
                else:
                    shown[resource_field.column_name] = self._related_name(widget, pk)
            else:
                shown[resource_field.column_name] = shown_value(widget, getattr(instance, name, None))
        return shown

    def _related_name(self, widget: ScopedForeignKeyWidget, pk) -> str:
        """A stored related record's name, from the records the column may name loaded once per import."""
        if pk is None:
            return ""
        names = self._related_names.get(id(widget))
        if names is None:
            names = {obj.pk: str(obj) for obj in widget.queryset}
            self._related_names[id(widget)] = names
        return names.get(pk, str(pk))

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
        self._record_preview(instance)
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
                self._ensure_period_open(instance, stored_day)
            self._ensure_period_open(instance, instance.period_date())
        except ValidationError as error:
            errors.setdefault(NON_FIELD_ERRORS, []).extend(error.messages)
        if errors:
            raise ValidationError(errors)

    def model_errors(self, instance, *, exclude: set[str], validate_unique: bool, errors: dict) -> dict:
        """Model.full_clean, step by step, with `clean_instance` in place of `clean()`."""
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = _required_in_words(error).update_error_dict(errors)
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
        self._remember_preview(instance, new, row, kwargs.get("row_number"))
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

    def _ensure_period_open(self, record, day) -> None:
        """The year lock, on the frozen 年度 loaded once per import (and agency) rather than asked per row."""
        if day is None:
            return
        key = (record.program, record.lock_agency_id())
        if key not in self._locked_years:
            self._locked_years[key] = locked_fiscal_years(
                organisation=self.organisation, program=record.program, agency=key[1]
            )
        check_period_open(program=record.program, day=day, locked_years=self._locked_years[key])

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
                self._update_batch(instances, batch_size=batch_size)
            self.after_bulk_write(instances, created=created)
            history = getattr(model._meta, "simple_history_manager_attribute", None)
            if history:  # after the child rows, so that a history row can describe them
                user = self.user if getattr(self.user, "is_authenticated", False) else None
                history_rows = getattr(model, history).bulk_history_create(
                    instances, batch_size=batch_size, update=not created, default_user=user
                )
                self.after_bulk_history(history_rows or [], batch_size=batch_size)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)

    def get_bulk_update_fields(self) -> list[str]:
        """Every column an import may change: not the key, owner, creator or creation time."""
        fixed = {"organisation", "created_at", "created_by"}
        return [f.name for f in self._meta.model._meta.concrete_fields if not f.primary_key and f.name not in fixed]

    def changed_fields(self, instances: list) -> list[str]:
        """The columns the file changes in any record of the batch, and updated_at: bulk_update builds
        one CASE per column and row, the most of a batch's time when every column is written."""
        fields = [self._meta.model._meta.get_field(name) for name in self.get_bulk_update_fields()]
        return [
            field.name
            for field in fields
            if field.name == "updated_at"
            or any(
                getattr(instance, "_import_stored_values", {}).get(field.attname, _UNKNOWN)
                != getattr(instance, field.attname)
                for instance in instances
            )
        ]

    def _update_batch(self, instances: list, *, batch_size) -> None:
        """Write the changed columns of a batch of stored records, every column in the same statement
        (a check constraint over two columns, such as a person's start and discharge dates, must see
        both new values at once). When the whole batch gets the same values (a file imported again:
        only updated_at), one UPDATE … WHERE id IN (…) instead of a CASE per row."""
        manager = self._meta.model._default_manager
        names = self.changed_fields(instances)
        attnames = [self._meta.model._meta.get_field(name).attname for name in names]
        first = instances[0]
        if all(getattr(instance, name) == getattr(first, name) for instance in instances for name in attnames):
            values = {name: getattr(first, name) for name in attnames}
            ids = [instance.pk for instance in instances]
            step = 500  # within the 999 parameters of older SQLite versions
            matched = sum(
                manager.filter(pk__in=ids[start : start + step]).update(**values) for start in range(0, len(ids), step)
            )
        else:
            matched = manager.bulk_update(instances, names, batch_size=batch_size)
        if matched != len(instances):
            raise ValidationError("取り込みの間に、ほかの人が記録を削除しました。もう一度取り込んでください。")

    def after_bulk_write(self, instances: list, *, created: bool) -> None:
        """Child rows of a written batch (the records have their primary keys now)."""

    def after_bulk_history(self, history_rows: list, *, batch_size) -> None:
        """History rows of a written batch, for values beyond the record's fields (its child rows)."""

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
