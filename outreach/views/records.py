"""A client's support plans and their reviews (3(4)イ), linkages (3(4)ウ〜サ) and outcomes."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView

from accounts.mixins import TenantQuerysetMixin
from accounts.permissions import get_visible_or_404
from outreach import services
from outreach.forms import LinkageForm, OutcomeForm, PlanForm, ReviewForm
from outreach.models import Linkage, Outcome, PlanReview, SupportPlan
from outreach.views.base import READERS, WORKERS, ClientParentMixin, ServiceDeleteMixin, ServiceFormMixin


class ClientRecordCreateView(ServiceFormMixin, ClientParentMixin, CreateView):
    allowed_roles = WORKERS
    noun = ""

    @property
    def title(self):
        return f"{self.noun}の登録：{self.parent_client}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "client": self.parent_client}

    def save(self, form):
        return services.client_record_save(record=form.save(commit=False), by=self.request.user)

    def get_success_url(self):
        return reverse("outreach:client_detail", args=[self.parent_client.pk])


class ClientRecordUpdateView(ServiceFormMixin, UpdateView):
    allowed_roles = WORKERS
    object_action = "change"
    noun = ""

    @property
    def title(self):
        return f"{self.noun}の変更：{self.object.client}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "client": self.object.client}

    def save(self, form):
        return services.client_record_save(record=form.save(commit=False), by=self.request.user)

    def get_success_url(self):
        return reverse("outreach:client_detail", args=[self.object.client_id])


class ClientRecordDeleteView(ServiceDeleteMixin, DeleteView):
    allowed_roles = WORKERS

    def get_success_url(self):
        return reverse("outreach:client_detail", args=[self.object.client_id])


# ---- support plans --------------------------------------------------------------------------


class PlanDetailView(TenantQuerysetMixin, DetailView):
    allowed_roles = READERS
    model = SupportPlan
    template_name = "outreach/plan_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("client").prefetch_related("reviews")


class PlanCreateView(ClientRecordCreateView):
    model = SupportPlan
    form_class = PlanForm
    noun = "支援計画"
    success_message = "支援計画を登録しました。"

    def get_initial(self):
        return {"made_on": timezone.localdate()}


class PlanUpdateView(ClientRecordUpdateView):
    model = SupportPlan
    form_class = PlanForm
    noun = "支援計画"
    success_message = "支援計画を変更しました。"

    def get_success_url(self):
        return reverse("outreach:plan_detail", args=[self.object.pk])


class PlanDeleteView(ClientRecordDeleteView):
    model = SupportPlan
    success_message = "支援計画を削除しました。"


class ReviewCreateView(ServiceFormMixin, CreateView):
    allowed_roles = WORKERS
    model = PlanReview
    form_class = ReviewForm
    success_message = "支援計画の見直しを記録しました。"

    @cached_property
    def plan(self) -> SupportPlan:
        return get_visible_or_404(
            self.request.user, SupportPlan.objects.select_related("client"), action="change", pk=self.kwargs["plan_pk"]
        )

    @property
    def title(self):
        return f"支援計画の見直し：{self.plan.client}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_initial(self):
        return {"reviewed_on": timezone.localdate()}

    def save(self, form):
        return services.client_record_save(record=form.save(commit=False), by=self.request.user)

    def get_success_url(self):
        return reverse("outreach:plan_detail", args=[self.plan.pk])


class ReviewUpdateView(ServiceFormMixin, UpdateView):
    allowed_roles = WORKERS
    object_action = "change"
    model = PlanReview
    form_class = ReviewForm
    title = "支援計画の見直しの変更"
    success_message = "支援計画の見直しを変更しました。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.object.plan}

    def save(self, form):
        return services.client_record_save(record=form.save(commit=False), by=self.request.user)

    def get_success_url(self):
        return reverse("outreach:plan_detail", args=[self.object.plan_id])


class ReviewDeleteView(ServiceDeleteMixin, DeleteView):
    allowed_roles = WORKERS
    model = PlanReview
    success_message = "支援計画の見直しを削除しました。"

    def get_success_url(self):
        return reverse("outreach:plan_detail", args=[self.object.plan_id])


# ---- linkages and outcomes ------------------------------------------------------------------


class LinkageCreateView(ClientRecordCreateView):
    model = Linkage
    form_class = LinkageForm
    noun = "つなぎ"
    success_message = "関係機関へのつなぎを登録しました。"

    def get_initial(self):
        return {"date": timezone.localdate()}


class LinkageUpdateView(ClientRecordUpdateView):
    model = Linkage
    form_class = LinkageForm
    noun = "つなぎ"
    success_message = "関係機関へのつなぎを変更しました。"


class LinkageDeleteView(ClientRecordDeleteView):
    model = Linkage
    success_message = "関係機関へのつなぎを削除しました。"


class OutcomeCreateView(ClientRecordCreateView):
    model = Outcome
    form_class = OutcomeForm
    noun = "成果"
    success_message = "成果を登録しました。"

    def get_initial(self):
        return {"date": timezone.localdate()}


class OutcomeUpdateView(ClientRecordUpdateView):
    model = Outcome
    form_class = OutcomeForm
    noun = "成果"
    success_message = "成果を変更しました。"


class OutcomeDeleteView(ClientRecordDeleteView):
    model = Outcome
    success_message = "成果を削除しました。"
