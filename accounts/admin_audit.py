"""The Django admin writes the same audit events as the app's own screens for personal data.

Staff users can open any organisation's records in the admin, so every admin of a model that
`holds_personal_data` inherits `PersonalDataAdminMixin` (a test checks that none is missed):

- a change form (also redisplayed with errors), a delete confirmation or a record's admin history
  is a view of that record (detail 「管理画面」);
- a change list, or the confirmation of an action over selected records, is a view of the list
  (detail 「管理画面 一覧」), as `audit_list` writes it for the app's lists;
- saves and deletes are audited once: the programs' admins save through their services, which
  write the event (`accounts.services`), so only an admin that keeps Django's own `save_model` /
  `delete_model` gets the event from here; inline records holding personal data are audited here.
"""

from __future__ import annotations

from accounts.audit import audit
from accounts.models import AuditAction

ADMIN_SCREEN = "管理画面"


def _holds_personal_data(model) -> bool:
    return bool(getattr(model, "holds_personal_data", False))


class PersonalDataAdminMixin:
    """Put it before `ModelAdmin` (or a subclass) in the bases."""

    # --- views ----------------------------------------------------------------------------------

    def _audit_record_shown(self, request, obj) -> None:
        if obj is not None and obj.pk and _holds_personal_data(obj):
            audit(request.user, AuditAction.VIEW, obj, detail=ADMIN_SCREEN)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        self._audit_record_shown(request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def render_delete_form(self, request, context):
        self._audit_record_shown(request, context.get("object"))
        return super().render_delete_form(request, context)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            self._audit_record_shown(request, getattr(response, "context_data", {}).get("object"))
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200 and _holds_personal_data(self.model):
            audit(request.user, AuditAction.VIEW, object_type=self.model._meta.label, detail=f"{ADMIN_SCREEN} 一覧")
        return response

    # --- writes (only where no service writes the event) ----------------------------------------

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if _holds_personal_data(obj):
            audit(request.user, AuditAction.UPDATE if change else AuditAction.CREATE, obj, detail=ADMIN_SCREEN)

    def delete_model(self, request, obj):
        if _holds_personal_data(obj):
            audit(request.user, AuditAction.DELETE, obj, detail=ADMIN_SCREEN)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if _holds_personal_data(self.model):
            for obj in queryset:
                audit(request.user, AuditAction.DELETE, obj, detail=ADMIN_SCREEN)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        """Inline rows are saved by the formset itself, not through a service: audit them here."""
        super().save_formset(request, form, formset, change)
        if not _holds_personal_data(formset.model):
            return
        for obj in formset.new_objects:
            audit(request.user, AuditAction.CREATE, obj, detail=ADMIN_SCREEN)
        for obj, _fields in formset.changed_objects:
            audit(request.user, AuditAction.UPDATE, obj, detail=ADMIN_SCREEN)
        for obj in formset.deleted_objects:
            audit(request.user, AuditAction.DELETE, obj, detail=ADMIN_SCREEN)
