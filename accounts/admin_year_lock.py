"""The year lock in the Django admin, shared by every program's admin.

A record of a 年度 whose report was approved is shown read-only and cannot be deleted; a form that
would move a record into (or out of) such a 年度 is refused with the Japanese reason on the form;
a bulk deletion skips frozen records and says why. Nothing reaches the user as a server error.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

from accounts import periods


class YearLockForm(forms.ModelForm):
    """Refuse, as a form error, a change that would write into a frozen 年度."""

    #: The check, as a staticmethod so a program can put its own rules in (see outreach.admin).
    ensure_open = staticmethod(periods.ensure_record_open)

    def _post_clean(self):
        super()._post_clean()
        if getattr(self.instance, "organisation_id", None):
            try:
                self.ensure_open(self.instance)
            except ValidationError as error:
                self.add_error(None, error)


class YearLockAdminMixin:
    """For a ModelAdmin of tenant records: `save_record` / `delete_record` do the writes through services."""

    form = YearLockForm

    def is_frozen(self, obj) -> bool:
        return periods.is_record_frozen(obj)

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and self.is_frozen(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and self.is_frozen(obj)) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        """The changelist's bulk deletion: each record through the service; frozen ones are kept and named."""
        for obj in queryset:
            try:
                self.delete_model(request, obj)
            except ValidationError as error:
                self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
