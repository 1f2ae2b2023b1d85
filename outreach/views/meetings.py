"""Support-coordination meetings (支援調整会議, 要綱3(4)オ) and case conferences of an agency."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView

from accounts.audit import audit_list
from accounts.decorators import role_required
from accounts.exports import audited_export
from accounts.listing import paginate, sort_queryset
from accounts.mixins import TenantQuerysetMixin
from outreach import exports, selectors, services
from outreach.forms import MeetingFilterForm, MeetingForm
from outreach.models import Client, SupportMeeting
from outreach.views.base import READERS, WORKERS, ServiceDeleteMixin, ServiceFormMixin


def _filtered_meetings(request):
    form = MeetingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    meetings, current_sort = sort_queryset(
        request, selectors.meeting_list(viewer=request.user, filters=filters), {"date": "date", "kind": "kind"}, "-date"
    )
    return form, meetings, current_sort


@require_GET
@role_required(*READERS)
def meeting_csv(request):
    """Meetings with the page's filters. Clients are listed by case number only: no names leave in this file."""
    _form, meetings, _sort = _filtered_meetings(request)
    meetings = meetings.prefetch_related(Prefetch("clients", queryset=Client.objects.only("pk", "number")))
    return audited_export(
        request,
        model=SupportMeeting,
        filename_stem="支援調整会議",
        header=exports.MEETING_HEADER,
        rows=exports.meeting_rows(meetings),
    )


@require_GET
@role_required(*READERS)
def meeting_list(request):
    audit_list(request.user, SupportMeeting)
    form, meetings, current_sort = _filtered_meetings(request)
    return render(
        request,
        "outreach/meeting_list.html",
        {"form": form, "page": paginate(request, meetings), "current_sort": current_sort},
    )


class MeetingDetailView(TenantQuerysetMixin, DetailView):
    allowed_roles = READERS
    model = SupportMeeting
    template_name = "outreach/meeting_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("agency").prefetch_related("clients")


class MeetingSaveMixin(ServiceFormMixin):
    allowed_roles = WORKERS
    model = SupportMeeting
    form_class = MeetingForm

    def save(self, form):
        meeting = form.save(commit=False)
        return services.meeting_save(meeting=meeting, clients=form.cleaned_data["clients"], by=self.request.user)

    def get_success_url(self):
        return reverse("outreach:meeting_detail", args=[self.object.pk])


class MeetingCreateView(MeetingSaveMixin, CreateView):
    title = "支援調整会議・ケース会議の登録"
    success_message = "会議を登録しました。"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in WORKERS:
            self.worker = selectors.worker_of(request.user)
            if self.worker is None:
                messages.error(request, "アウトリーチ支援員として機関に配置されていないため、登録できません。")
                return redirect("outreach:meeting_list")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.worker.agency}

    def get_cancel_url(self):
        return reverse("outreach:meeting_list")


class MeetingUpdateView(MeetingSaveMixin, UpdateView):
    object_action = "change"
    title = "会議の変更"
    success_message = "会議の記録を変更しました。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.object.agency}


class MeetingDeleteView(ServiceDeleteMixin, DeleteView):
    allowed_roles = WORKERS
    model = SupportMeeting
    success_message = "会議の記録を削除しました。"

    def get_success_url(self):
        return reverse("outreach:meeting_list")
