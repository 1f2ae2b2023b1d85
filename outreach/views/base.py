"""What every outreach view shares: who may use it, saving through a service, deleting after a confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property

from accounts.mixins import RoleRequiredMixin, TenantQuerysetMixin, add_validation_errors, audit_personal_data_shown
from accounts.models import Role
from accounts.permissions import get_visible_or_404
from outreach import services
from outreach.models import Client

#: Outreach workers write client records; prefecture staff read and export them.
WORKERS = (Role.OUTREACH_WORKER,)
READERS = (Role.PREFECTURE, Role.OUTREACH_WORKER)
PREFECTURE = (Role.PREFECTURE,)


class UnscopedServiceFormMixin(RoleRequiredMixin):
    """Create/update through an outreach service in one transaction; on error nothing is saved.

    Subclasses implement `save(form)` and call the service. Used as is only for records that
    belong to no organisation (the shared resource directory); tenant records use ServiceFormMixin.
    """

    template_name = "outreach/form.html"
    success_message = "保存しました。"
    title = ""
    cancel_url = ""

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = self.save(form)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, cancel_url=self.get_cancel_url(), **kwargs)

    def get_cancel_url(self) -> str:
        """Back to `cancel_url`, else to where saving leads (a fixed `success_url` needs no object)."""
        return self.cancel_url or self.success_url or self.get_success_url()


class UnscopedServiceDeleteMixin(RoleRequiredMixin):
    """A confirmation page, then the delete (year lock and dependants checked by the service).

    Used as is only for records that belong to no organisation; tenant records use ServiceDeleteMixin.
    """

    template_name = "outreach/confirm_delete.html"
    success_message = "削除しました。"

    def form_valid(self, form):
        success_url = self.get_success_url()
        try:
            self.delete_object()
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return HttpResponseRedirect(self.request.path)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(success_url)

    def delete_object(self) -> None:
        services.record_delete(record=self.object, by=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.get_cancel_url(), **kwargs)

    def get_cancel_url(self) -> str:
        return self.get_success_url()


class ServiceFormMixin(TenantQuerysetMixin, UnscopedServiceFormMixin):
    """Create/update of a tenant record: the object is fetched through the tenant scope."""


class ServiceDeleteMixin(TenantQuerysetMixin, UnscopedServiceDeleteMixin):
    """Delete of a tenant record: the object is fetched through the tenant scope."""

    object_action = "delete"


class ClientParentMixin:
    """Views under /clients/<client_pk>/…: the client is fetched through the tenant scope (404 otherwise).

    Their forms name the client, so showing one is audited as a view of the client.
    """

    @cached_property
    def parent_client(self) -> Client:
        return get_visible_or_404(self.request.user, Client, action="change", pk=self.kwargs["client_pk"])

    def render_to_response(self, context, **response_kwargs):
        audit_personal_data_shown(self.request.user, self.parent_client, screen="記録の登録画面")
        return super().render_to_response(context, **response_kwargs)
