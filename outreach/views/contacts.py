"""Contacts (要綱3(1)): list with filters and CSV, detail, add (also from the client timeline), edit, delete."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView

from accounts.audit import audit_list
from accounts.decorators import role_required
from accounts.exports import audited_export
from accounts.history import change_history
from accounts.listing import paginate, sort_queryset
from accounts.mixins import TenantQuerysetMixin
from outreach import exports, selectors, services
from outreach.forms import ContactFilterForm, ContactForm
from outreach.models import Contact
from outreach.views.base import READERS, WORKERS, ClientParentMixin, ServiceDeleteMixin, ServiceFormMixin

CONTACT_SORTS = {"date": "date", "kind": "kind", "client": "client__search_key", "start": "start_time"}


def _filtered_contacts(request):
    form = ContactFilterForm(request.GET or None, viewer=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    contacts, current_sort = sort_queryset(
        request, selectors.contact_list(viewer=request.user, filters=filters), CONTACT_SORTS, "-date"
    )
    return form, contacts, current_sort


@require_GET
@role_required(*READERS)
def contact_list(request):
    audit_list(request.user, Contact)
    form, contacts, current_sort = _filtered_contacts(request)
    return render(
        request,
        "outreach/contact_list.html",
        {"form": form, "page": paginate(request, contacts), "current_sort": current_sort},
    )


@require_GET
@role_required(*READERS)
def contact_csv(request):
    """The list as CSV / Shift_JIS CSV / Excel (?format=), with the page's filters and order. Audited."""
    _form, contacts, _sort = _filtered_contacts(request)
    return audited_export(
        request,
        model=Contact,
        filename_stem="対応記録",
        header=exports.CONTACT_HEADER,
        rows=exports.contact_rows(contacts),
    )


class ContactDetailView(TenantQuerysetMixin, DetailView):
    allowed_roles = READERS
    model = Contact
    template_name = "outreach/contact_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("client", "worker__user")

    def get_context_data(self, **kwargs):
        return super().get_context_data(change_history=change_history(self.object), **kwargs)


class ContactCreateView(ServiceFormMixin, ClientParentMixin, CreateView):
    allowed_roles = WORKERS
    model = Contact
    form_class = ContactForm
    success_message = "対応記録を登録しました。"

    @property
    def title(self):
        return f"対応記録の登録：{self.parent_client}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "client": self.parent_client}

    def get_initial(self):
        return {"date": timezone.localdate(), "worker": selectors.worker_of(self.request.user), "with_person": True}

    def save(self, form):
        return services.contact_save(contact=form.save(commit=False), by=self.request.user)

    def get_success_url(self):
        return reverse("outreach:client_detail", args=[self.parent_client.pk])


class ContactUpdateView(ServiceFormMixin, UpdateView):
    allowed_roles = WORKERS
    object_action = "change"
    model = Contact
    form_class = ContactForm
    success_message = "対応記録を変更しました。"

    @property
    def title(self):
        return f"対応記録の変更：{self.object.client}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "client": self.object.client}

    def save(self, form):
        return services.contact_save(contact=form.save(commit=False), by=self.request.user)

    def get_success_url(self):
        return reverse("outreach:contact_detail", args=[self.object.pk])


class ContactDeleteView(ServiceDeleteMixin, DeleteView):
    allowed_roles = WORKERS
    model = Contact
    success_message = "対応記録を削除しました。"

    def get_success_url(self):
        return reverse("outreach:client_detail", args=[self.object.client_id])
