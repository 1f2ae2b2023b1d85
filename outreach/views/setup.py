"""Set-up kept by prefecture staff: agencies, contracts, workers, the resource directory, the cohort.

Outreach workers read their own agency's set-up; only the prefecture changes it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView

from accounts.decorators import role_required
from accounts.exports import audited_export, wants_export
from accounts.listing import paginate, sort_queryset
from accounts.mixins import TenantQuerysetMixin, add_validation_errors
from outreach import exports, selectors, services
from outreach.forms import (
    AgencyForm,
    CohortForm,
    ContractFilterForm,
    ContractForm,
    ResourceFilterForm,
    ResourceForm,
    WorkerFilterForm,
    WorkerForm,
)
from outreach.models import Agency, CohortSetting, OutreachContract, OutreachWorker, SocialResource
from outreach.views.base import (
    PREFECTURE,
    READERS,
    ServiceDeleteMixin,
    ServiceFormMixin,
    UnscopedServiceDeleteMixin,
    UnscopedServiceFormMixin,
)

# ---- agencies -------------------------------------------------------------------------------


@require_GET
@role_required(*READERS)
def agency_list(request):
    agencies = selectors.agency_list(viewer=request.user)
    if wants_export(request):
        return audited_export(
            request,
            model=Agency,
            filename_stem="自立相談支援機関",
            header=exports.AGENCY_HEADER,
            rows=exports.agency_rows(agencies),
        )
    return render(request, "outreach/agency_list.html", {"agencies": agencies})


class AgencyDetailView(TenantQuerysetMixin, DetailView):
    allowed_roles = READERS
    model = Agency
    template_name = "outreach/agency_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation").prefetch_related("municipalities")

    def get_context_data(self, **kwargs):
        viewer = self.request.user
        return super().get_context_data(
            workers=selectors.worker_list(viewer=viewer, filters={"agency": self.object}),
            contracts=selectors.contract_list(viewer=viewer).filter(agency=self.object),
            **kwargs,
        )


class AgencySaveMixin(ServiceFormMixin):
    allowed_roles = PREFECTURE
    model = Agency
    form_class = AgencyForm

    cancel_url = reverse_lazy("outreach:agency_list")

    def save(self, form):
        agency = form.save(commit=False)
        return services.agency_save(
            agency=agency, municipalities=form.cleaned_data["municipalities"], by=self.request.user
        )

    def get_success_url(self):
        return reverse("outreach:agency_detail", args=[self.object.pk])


class AgencyCreateView(AgencySaveMixin, CreateView):
    title = "自立相談支援機関の登録"
    success_message = "機関を登録しました。"


class AgencyUpdateView(AgencySaveMixin, UpdateView):
    object_action = "change"
    title = "自立相談支援機関の変更"
    success_message = "機関の情報を変更しました。"


class AgencyDeleteView(ServiceDeleteMixin, DeleteView):
    allowed_roles = PREFECTURE
    model = Agency
    success_url = reverse_lazy("outreach:agency_list")
    success_message = "機関を削除しました。"


# ---- contracts ------------------------------------------------------------------------------


@require_GET
@role_required(*READERS)
def contract_list(request):
    form = ContractFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    contracts = selectors.contract_list(viewer=request.user, filters=filters)
    if wants_export(request):
        return audited_export(
            request,
            model=OutreachContract,
            filename_stem="委託契約",
            header=exports.CONTRACT_HEADER,
            rows=exports.contract_rows(contracts),
        )
    return render(request, "outreach/contract_list.html", {"form": form, "page": paginate(request, contracts)})


class ContractSaveMixin(ServiceFormMixin):
    allowed_roles = PREFECTURE
    model = OutreachContract
    form_class = ContractForm
    success_url = reverse_lazy("outreach:contract_list")

    def save(self, form):
        return services.contract_save(contract=form.save(commit=False), by=self.request.user)


class ContractCreateView(ContractSaveMixin, CreateView):
    title = "委託契約の登録"
    success_message = "委託契約を登録しました。"


class ContractUpdateView(ContractSaveMixin, UpdateView):
    object_action = "change"
    title = "委託契約の変更"
    success_message = "委託契約を変更しました。"


class ContractDeleteView(ServiceDeleteMixin, DeleteView):
    allowed_roles = PREFECTURE
    model = OutreachContract
    success_url = reverse_lazy("outreach:contract_list")
    success_message = "委託契約を削除しました。"


# ---- workers --------------------------------------------------------------------------------


@require_GET
@role_required(*READERS)
def worker_list(request):
    form = WorkerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    workers, current_sort = sort_queryset(
        request,
        selectors.worker_list(viewer=request.user, filters=filters),
        {"name": "user__last_name", "agency": "agency__name", "qualification": "qualification"},
        "agency",
    )
    return render(
        request,
        "outreach/worker_list.html",
        {"form": form, "page": paginate(request, workers), "current_sort": current_sort},
    )


@require_GET
@role_required(*READERS)
def worker_csv(request):
    form = WorkerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    workers = selectors.worker_list(viewer=request.user, filters=filters)
    return audited_export(
        request,
        model=OutreachWorker,
        filename_stem="アウトリーチ支援員",
        header=exports.WORKER_HEADER,
        rows=exports.worker_rows(workers),
    )


class WorkerDetailView(TenantQuerysetMixin, DetailView):
    allowed_roles = READERS
    model = OutreachWorker
    template_name = "outreach/worker_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("user", "agency__organisation")


class WorkerSaveMixin(ServiceFormMixin):
    allowed_roles = PREFECTURE
    model = OutreachWorker
    form_class = WorkerForm

    cancel_url = reverse_lazy("outreach:worker_list")

    def save(self, form):
        return services.worker_save(worker=form.save(commit=False), by=self.request.user)

    def get_success_url(self):
        return reverse("outreach:worker_detail", args=[self.object.pk])


class WorkerCreateView(WorkerSaveMixin, CreateView):
    title = "アウトリーチ支援員の登録"
    success_message = "アウトリーチ支援員を登録しました。"


class WorkerUpdateView(WorkerSaveMixin, UpdateView):
    object_action = "change"
    title = "アウトリーチ支援員の変更"
    success_message = "アウトリーチ支援員の情報を変更しました。"


class WorkerDeleteView(ServiceDeleteMixin, DeleteView):
    allowed_roles = PREFECTURE
    model = OutreachWorker
    success_url = reverse_lazy("outreach:worker_list")
    success_message = "アウトリーチ支援員を削除しました。"


# ---- social resources (not tenant records: a shared directory) -----------------------------


@require_GET
@role_required(*READERS)
def resource_list(request):
    form = ResourceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    resources = selectors.resource_list(filters=filters)
    if wants_export(request):
        return audited_export(
            request,
            model=SocialResource,
            filename_stem="社会資源",
            header=exports.RESOURCE_HEADER,
            rows=exports.resource_rows(resources),
        )
    return render(request, "outreach/resource_list.html", {"form": form, "page": paginate(request, resources)})


class ResourceSaveMixin(UnscopedServiceFormMixin):
    allowed_roles = PREFECTURE
    model = SocialResource
    form_class = ResourceForm
    success_url = reverse_lazy("outreach:resource_list")

    def save(self, form):
        return services.resource_save(resource=form.save(commit=False), by=self.request.user)


class ResourceCreateView(ResourceSaveMixin, CreateView):
    title = "社会資源の登録"
    success_message = "社会資源を登録しました。"


class ResourceUpdateView(ResourceSaveMixin, UpdateView):
    title = "社会資源の変更"
    success_message = "社会資源を変更しました。"


class ResourceDeleteView(UnscopedServiceDeleteMixin, DeleteView):
    allowed_roles = PREFECTURE
    model = SocialResource
    success_url = reverse_lazy("outreach:resource_list")
    success_message = "社会資源を削除しました。"

    def delete_object(self) -> None:
        services.resource_delete(resource=self.object, by=self.request.user)


# ---- cohort ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*READERS)
def cohort_settings(request):
    """Everyone reads the cohort; prefecture staff change it (要綱3(2)ア)."""
    cohort = CohortSetting.current()
    can_edit = request.user.role in PREFECTURE
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("範囲を変更できるのは県の担当者だけです。")
    form = CohortForm(request.POST or None, instance=cohort) if can_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            result = services.cohort_update(cohort=form.save(commit=False), by=request.user)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, result.message)
            return redirect("outreach:cohort")
    return render(request, "outreach/cohort.html", {"cohort": cohort, "form": form})
