"""What changed in a record (django-simple-history): field, old value, new value, who, when.

A model keeps its history with `history = HistoricalRecords()`; its detail page includes
`partials/history.html` with `history=change_history(obj)`. A history model may add values that
are not fields of the record (an activity's people and supporters' rows) with a base that
defines `related_changes(older) -> [(label, old, new)]`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from accounts.wareki import to_wareki

HISTORY_LIMIT = 50
_KIND = {"+": "登録", "~": "変更", "-": "削除"}
_IGNORED = {"updated_at", "created_at", "search_key"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    kind: str
    changes: list[FieldChange]


def _display(model, field_name: str, value) -> str:
    if value in (None, ""):
        return "（空欄）"
    field = model._meta.get_field(field_name)
    if field.many_to_one:  # the history keeps the id: show what it names (deleted ones as such)
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else "（削除済み）"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, datetime):  # before date: a datetime is a date too
        return f"{to_wareki(value)} {timezone.localtime(value):%H:%M}" if timezone.is_aware(value) else str(value)
    if isinstance(value, date):
        return to_wareki(value)
    return str(value)


def change_history(obj, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """Newest first: each save of `obj` with the fields it changed.

    Two queries whatever the length, plus one per changed foreign key (to name what it points to).
    """
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    model = type(obj)
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            for change in newer.diff_against(older).changes:
                if change.field in _IGNORED:
                    continue
                label = str(model._meta.get_field(change.field).verbose_name)
                changes.append(
                    FieldChange(
                        label, _display(model, change.field, change.old), _display(model, change.field, change.new)
                    )
                )
            # what a history row keeps besides the fields (an activity's people and supporters' rows)
            if hasattr(newer, "related_changes"):
                changes += [FieldChange(*change) for change in newer.related_changes(older)]
        user = newer.history_user
        entries.append(
            HistoryEntry(
                at=newer.history_date,
                who=user.display_name if user else "（システム）",
                kind=_KIND.get(newer.history_type, newer.history_type),
                changes=changes,
            )
        )
    return entries


# --- retention ---------------------------------------------------------------------------------


def models_with_personal_history() -> list[type]:
    """Models that keep a change history holding personal data: theirs, or (`history_holds_personal_data`)
    that of the records their history rows describe (an activity's supporters by name)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
        and (getattr(model, "holds_personal_data", False) or getattr(model, "history_holds_personal_data", False))
    ]


def purge_deleted_history(*, deleted_before: datetime, dry_run: bool = False) -> dict[str, int]:
    """Remove every history row of records deleted before `deleted_before` (their deletion row included).

    Only records that no longer exist are touched: a living record keeps its whole history.
    Returns the number of history rows removed (or, with `dry_run`, that would be) per model label.
    """
    counts: dict[str, int] = {}
    for model in models_with_personal_history():
        history = getattr(model, model._meta.simple_history_manager_attribute).model
        deleted_ids = (
            history._default_manager.filter(history_type="-", history_date__lt=deleted_before)
            .exclude(id__in=model._base_manager.values("pk"))
            .values("id")
        )
        rows = history._default_manager.filter(id__in=deleted_ids)
        counts[model._meta.label] = rows.count() if dry_run else rows.delete()[0]
    return counts
