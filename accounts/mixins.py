"""View mixins that give every screen role checks and tenant scoping by construction."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect

from accounts.audit import audit
from accounts.models import AuditAction
from accounts.periods import ensure_open
from accounts.permissions import get_visible_or_404, visible_to
from accounts.services import delete_tenant_record, save_tenant_record


class RoleRequiredMixin:
    """Refuse (403, audited) users whose role is not in `allowed_roles`."""

    allowed_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role not in self.allowed_roles:
            audit(request.user, AuditAction.PERMISSION_DENIED, detail=f"role {request.user.role}")
            raise PermissionDenied("この画面を利用する権限がありません。")
        return super().dispatch(request, *args, **kwargs)


#: How the audit log names a screen that shows a record, by the object permission its view needs.
#: Edit forms and delete confirmations show the record's personal data as much as its page does.
SCREEN_DETAIL = {"view": "", "change": "編集画面", "delete": "削除の確認画面"}


class TenantQuerysetMixin(RoleRequiredMixin):
    """Lists and object views read only through `Model.objects.visible_to(user)`.

    Another organisation's id is a 404, written to the audit log as a refusal. Every page that
    shows a record whose model `holds_personal_data` (its detail page, its edit form, also when
    redisplayed with errors, its delete confirmation) is written to the audit log as a view;
    the saves and deletes themselves are audited by `accounts.services`.
    """

    model: type[models.Model]
    #: view, change or delete: the object permission the view needs.
    object_action = "view"

    def get_queryset(self):
        return visible_to(self.request.user, super().get_queryset())

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        return get_visible_or_404(self.request.user, queryset, action=self.object_action, pk=self.kwargs["pk"])

    def render_to_response(self, context, **response_kwargs):
        obj = getattr(self, "object", None)
        audit_personal_data_shown(self.request.user, obj, screen=self.object_action)
        if self.request.method == "GET" and self.object_action in ("change", "delete"):
            warn_if_frozen(self.request, obj)
        return super().render_to_response(context, **response_kwargs)


def warn_if_frozen(request, obj) -> None:
    """Say before the user types that saving will be refused: the record's 年度 is approved."""
    if obj is None or not obj.pk or not getattr(obj, "program", None):
        return
    try:
        ensure_open(obj)
    except ValidationError as error:
        messages.warning(request, error.messages[0])


def audit_personal_data_shown(user, obj, *, screen: str = "view") -> None:
    """Write a view event when a page shows a stored record that holds personal data."""
    if obj is not None and obj.pk and getattr(obj, "holds_personal_data", False):
        audit(user, AuditAction.VIEW, obj, detail=SCREEN_DETAIL.get(screen, screen))


class TenantFormMixin(TenantQuerysetMixin):
    """Create/update through `save_tenant_record`; the organisation comes from the user, never the form.

    The record, its many-to-many values, its object-permission grant and its audit event are
    written in one transaction: a ValidationError from the model or the year lock is shown on
    the form, and any failure after the first write leaves nothing saved.
    """

    success_message = "保存しました。"

    def assign_owner(self, obj) -> None:
        if obj.pk is None and not obj.organisation_id:
            obj.organisation = self.request.user.organisation

    def save(self, obj, form):
        """Write `obj` and the form's many-to-many values; runs inside the view's transaction."""
        obj = save_tenant_record(obj, by=self.request.user)
        if hasattr(form, "save_m2m"):
            form.save_m2m()
        return obj

    def form_valid(self, form):
        obj = form.save(commit=False)
        self.assign_owner(obj)
        try:
            with transaction.atomic():
                self.object = self.save(obj, form)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


def add_validation_errors(form, error: ValidationError) -> None:
    """Show a model/service ValidationError next to the fields it names (others at the top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


class TenantDeleteMixin(TenantQuerysetMixin):
    object_action = "delete"
    success_message = "削除しました。"

    def form_valid(self, form):
        try:
            delete_tenant_record(self.object, by=self.request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return HttpResponseRedirect(self.request.path)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())
