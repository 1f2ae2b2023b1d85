"""Clients: list (search, filters, CSV), the record as a timeline, register, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
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
from outreach.forms import ClientFilterForm, ClientForm, ContactForm
from outreach.models import Client
from outreach.views.base import READERS, WORKERS, ServiceDeleteMixin, ServiceFormMixin

CLIENT_SORTS = {
    "number": "number",
    "name": "name_kana",
    "registered_on": "registered_on",
    "birth_date": "birth_date",
    "status": "status",
    "last_contact": "last_contact_on",
}


def _filtered_clients(request):
    form = ClientFilterForm(request.GET or None, viewer=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    clients = selectors.client_list(viewer=request.user, filters={**filters, "today": timezone.localdate()})
    clients, current_sort = sort_queryset(request, clients, CLIENT_SORTS, "-registered_on")
    return form, clients, current_sort


@require_GET
@role_required(*READERS)
def client_list(request):
    audit_list(request.user, Client)
    form, clients, current_sort = _filtered_clients(request)
    return render(
        request,
        "outreach/client_list.html",
        {
            "form": form,
            "page": paginate(request, clients),
            "current_sort": current_sort,
            "own_worker": selectors.worker_of(request.user),
        },
    )


@require_GET
@role_required(*READERS)
def client_csv(request):
    """The list as CSV / Shift_JIS CSV / Excel (?format=), with the page's filters and order. Audited."""
    _form, clients, _sort = _filtered_clients(request)
    return audited_export(
        request,
        model=Client,
        filename_stem="支援対象者",
        header=exports.CLIENT_HEADER,
        rows=exports.client_rows(clients),
    )


class ClientDetailView(TenantQuerysetMixin, DetailView):
    """The client's record as a timeline, newest first, with a quick-add contact form."""

    allowed_roles = READERS
    model = Client
    template_name = "outreach/client_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("agency", "municipality", "worker__user")

    def get_context_data(self, **kwargs):
        client = self.object
        context = {
            "timeline": selectors.client_timeline(client),
            "age": client.age_on(timezone.localdate()),
            "change_history": change_history(client),
        }
        if self.request.user.role in WORKERS:
            context["quick_form"] = ContactForm(
                client=client,
                initial={
                    "date": timezone.localdate(),
                    "with_person": True,
                    "worker": self.own_worker(client),
                },
            )
        return super().get_context_data(client=client, **context, **kwargs)

    def own_worker(self, client):
        """The signed-in worker's placement; usually the client's own worker, already loaded."""
        if client.worker and client.worker.user_id == self.request.user.pk:
            return client.worker
        return selectors.worker_of(self.request.user)


class ClientCreateView(ServiceFormMixin, CreateView):
    allowed_roles = WORKERS
    model = Client
    form_class = ClientForm
    title = "支援対象者の登録"
    success_message = "支援対象者を登録しました。"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in WORKERS:
            self.worker = selectors.worker_of(request.user)
            if self.worker is None:
                messages.error(
                    request,
                    "アウトリーチ支援員として機関に配置されていないため、登録できません。県の担当者に配置を依頼してください。",
                )
                return redirect("outreach:client_list")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.worker.agency}

    def get_initial(self):
        return {"registered_on": timezone.localdate(), "worker": self.worker, "in_hardship": True}

    def save(self, form):
        return services.client_save(client=form.save(commit=False), by=self.request.user)

    def get_success_url(self):
        return reverse("outreach:client_detail", args=[self.object.pk])

    def get_cancel_url(self):
        return reverse("outreach:client_list")


class ClientUpdateView(ServiceFormMixin, UpdateView):
    allowed_roles = WORKERS
    object_action = "change"
    model = Client
    form_class = ClientForm
    success_message = "支援対象者の情報を変更しました。"

    @property
    def title(self):
        return f"支援対象者の変更：{self.object}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.object.agency}

    def save(self, form):
        return services.client_save(client=form.save(commit=False), by=self.request.user)

    def get_success_url(self):
        return reverse("outreach:client_detail", args=[self.object.pk])


class ClientDeleteView(ServiceDeleteMixin, DeleteView):
    allowed_roles = WORKERS
    model = Client
    success_message = "支援対象者を削除しました。"

    def get_success_url(self):
        return reverse("outreach:client_list")

    def get_cancel_url(self):
        return reverse("outreach:client_detail", args=[self.object.pk])
