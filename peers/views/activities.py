"""Activities (第4条1(1)ア・イ) with each supporter's hours and pay, the month view, and the
pseudonymous people supported. Entering an activity is the coordinators' daily task."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.generic import TemplateView

from accounts.history import change_history
from accounts.mixins import RoleRequiredMixin, add_validation_errors, warn_if_frozen
from accounts.models import Role
from accounts.permissions import get_visible_or_404
from peers import services
from peers.forms.filters import ActivityFilterForm, PeerFilterForm, PersonFilterForm
from peers.forms.records import ActivityForm, PersonForm, supporter_rows_formset
from peers.models import Activity, Coordinator, PersonSupported
from peers.selectors import (
    activity_list,
    activity_month,
    activity_month_counts,
    contract_for_day,
    last_activity,
    person_list,
    usual_district_id,
)
from peers.views.base import (
    EDIT_ROLES,
    VIEW_ROLES,
    Column,
    PeerCreateView,
    PeerDeleteView,
    PeerDetailView,
    PeerListView,
    PeerPageMixin,
    PeerUpdateView,
)

WEEKDAYS = "月火水木金土日"


def _supporters(activity: Activity) -> str:
    return "、".join(f"{row.supporter.name}（{row.hours:g}時間）" for row in activity.supporter_rows.all())


def _place(activity: Activity) -> str:
    return f"{activity.district.name}・{activity.hospital.name}" if activity.hospital else activity.district.name


class ActivityListView(PeerListView):
    title = "活動記録"
    filter_form_class = ActivityFilterForm
    create_url_name = "peers:activity_create"
    empty_message = "活動記録はまだありません。"
    csv_name = "活動記録"
    default_sort = "-date"
    extra_links = [("月間表示", "peers:activity_month")]
    columns = [
        Column("活動日", lambda a: a.date, sort="date", link=True),
        Column("時間", lambda a: f"{a.start_time:%H:%M}〜{a.end_time:%H:%M}"),
        Column("種別", lambda a: a.get_kind_display(), sort="kind"),
        Column("区域・病院", _place, sort="district"),
        Column("参加者数", lambda a: a.participants, sort="participants", num=True),
        Column("ピアサポーター", _supporters),
        Column("コーディネーター", lambda a: a.coordinator.name),
    ]

    def csv_columns(self):
        columns = self.get_columns()
        return [
            *columns[:-2],
            Column("要綱区分", lambda a: f"第4条1(1){a.article}"),
            Column("ピアサポーター（時間）", _supporters),
            Column("謝金合計", lambda a: sum(row.pay for row in a.supporter_rows.all())),
            Column("コーディネーター", lambda a: a.coordinator.name),
            Column("記録", lambda a: a.notes),
        ]

    def selector(self, filters):
        return activity_list(viewer=self.request.user, filters=filters)


class ActivityDetailView(PeerDetailView):
    model = Activity
    title = "活動記録"
    template_name = "peers/activity_detail.html"
    edit_url_name = "peers:activity_update"
    delete_url_name = "peers:activity_delete"
    list_url_name = "peers:activity_list"
    fields = [
        Column("受託事業者", lambda a: a.organisation.name),
        Column("種別", lambda a: f"{a.get_kind_display()}（要綱第4条1(1){a.article}）"),
        Column("活動日", lambda a: a.date),
        Column("時間", lambda a: f"{a.start_time:%H:%M}〜{a.end_time:%H:%M}"),
        Column("区域（保健所）", lambda a: a.district.name),
        Column("病院", lambda a: a.hospital.name if a.hospital else "—"),
        Column("参加者数", lambda a: f"{a.participants}人"),
        Column("コーディネーター", lambda a: a.coordinator.name),
        Column("委託契約", lambda a: str(a.contract)),
        Column("記録・特記事項", lambda a: a.notes),
    ]

    def get_context_data(self, **kwargs):
        rows = list(self.object.supporter_rows.select_related("supporter"))
        return super().get_context_data(
            change_history=change_history(self.object),
            people=self.object.people.all(),
            supporter_rows=rows,
            total_hours=sum(row.hours for row in rows),
            total_pay=sum(row.pay for row in rows),
            **kwargs,
        )


class ActivityFormView(PeerPageMixin, RoleRequiredMixin, TemplateView):
    """Create or edit an activity with its supporters' rows; all or nothing."""

    allowed_roles = EDIT_ROLES
    template_name = "peers/activity_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.activity = self.get_activity()
            self.organisation = self.activity.organisation if self.activity else request.user.organisation
        return super().dispatch(request, *args, **kwargs)

    def get_activity(self) -> Activity | None:
        return None

    def initial(self) -> tuple[dict, list[dict]]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        initial, rows = self.initial()
        form = ActivityForm(instance=self.activity, initial=initial, organisation=self.organisation)
        formset = supporter_rows_formset(
            organisation=self.organisation,
            day=initial.get("date") or self._date(),
            initial=rows,
            extra=2 if self.activity else 5,
        )
        warn_if_frozen(request, self.activity)
        return self.render(form, formset)

    def post(self, request, *args, **kwargs):
        instance = self.activity or Activity(organisation=self.organisation)
        form = ActivityForm(request.POST, instance=instance, organisation=self.organisation)
        _initial, rows = self.initial() if self.activity else ({}, [])
        formset = supporter_rows_formset(
            organisation=self.organisation,
            day=parse_date(request.POST.get("date") or "") or self._date(),
            data=request.POST,
            initial=rows,
        )
        if not (form.is_valid() and formset.is_valid()):
            return self.render(form, formset)
        supporters = [row for row in formset.cleaned_data if row.get("supporter")]
        fields = {name: value for name, value in form.cleaned_data.items() if name != "people"}
        try:
            if self.activity:
                activity = services.activity_update(
                    activity=self.activity,
                    by=request.user,
                    supporters=supporters,
                    people=form.cleaned_data["people"],
                    **fields,
                )
            else:
                activity = services.activity_create(
                    organisation=self.organisation,
                    by=request.user,
                    supporters=supporters,
                    people=form.cleaned_data["people"],
                    **fields,
                )
        except services.SupporterRowsError as error:
            filled = [row_form for row_form in formset.forms if row_form.cleaned_data.get("supporter")]
            for position, row_messages in error.row_errors.items():
                filled[position].add_error("supporter", row_messages)
            form.add_error(None, "活動したピアサポーターの欄に誤りがあります。赤く表示された行を確認してください。")
            return self.render(form, formset)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.render(form, formset)
        messages.success(request, "活動記録を保存しました。" if self.activity else "活動記録を登録しました。")
        return redirect(activity.get_absolute_url())

    def _date(self) -> date:
        return self.activity.date if self.activity else timezone.localdate()

    def render(self, form, formset):
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset, activity=self.activity, title=self.title)
        )


class ActivityCreateView(ActivityFormView):
    title = "活動記録の登録"

    def initial(self):
        today = timezone.localdate()
        source = self._copy_source()
        if source is not None:
            initial = {
                "kind": source.kind,
                "date": today,
                "start_time": source.start_time,
                "end_time": source.end_time,
                "district": source.district_id,
                "hospital": source.hospital_id,
                "participants": source.participants,
                "coordinator": source.coordinator_id,
                "people": [person.pk for person in source.people.all()],
            }
            rows = [{"supporter": row.supporter, "hours": row.hours} for row in source.supporter_rows.all()]
            return initial, rows
        contract = contract_for_day(organisation=self.organisation, day=today)
        district = usual_district_id(organisation=self.organisation)
        if district is None and contract is not None:
            district = next((d.pk for d in contract.districts.all()), None)
        coordinator = (
            Coordinator.objects.filter(organisation=self.organisation, user=self.request.user, is_active=True)
            .values_list("pk", flat=True)
            .first()
        )
        initial = {
            "date": today,
            "start_time": time(13, 30),
            "end_time": time(15, 30),
            "district": district,
            "coordinator": coordinator,
        }
        return initial, []

    def _copy_source(self) -> Activity | None:
        copy = self.request.GET.get("copy")
        if not copy:
            return None
        if copy == "last":
            return last_activity(organisation=self.organisation)
        return get_visible_or_404(self.request.user, Activity, pk=copy)

    def get(self, request, *args, **kwargs):
        if request.GET.get("copy") and self._copy_source() is None:
            messages.info(request, "コピーできる前回の活動がありません。")
        elif request.GET.get("copy"):
            messages.info(request, "前回の活動をコピーしました。活動日・参加者数・記録を確認してください。")
        return super().get(request, *args, **kwargs)


class ActivityUpdateView(ActivityFormView):
    title = "活動記録の変更"

    def get_activity(self):
        return get_visible_or_404(self.request.user, Activity, action="change", pk=self.kwargs["pk"])

    def initial(self):
        rows = [
            {"supporter": row.supporter, "hours": row.hours, "pay": row.pay}
            for row in self.activity.supporter_rows.select_related("supporter")
        ]
        return {}, rows


class ActivityDeleteView(PeerDeleteView):
    model = Activity
    success_url_name = "peers:activity_list"


class ActivityMonthView(PeerPageMixin, RoleRequiredMixin, TemplateView):
    """A month of one contractor's activities, day by day.

    Prefecture staff choose the contractor first: a month of every contractor on one page is
    hundreds of rows nobody reads (and slow to build), so without a choice the page lists the
    contractors with their number of activities in the month, each a link to its month view.
    """

    allowed_roles = VIEW_ROLES
    template_name = "peers/activity_month.html"
    title = "活動の月間表示"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        try:
            year, month = (int(part) for part in self.request.GET.get("month", "").split("-"))
            first = date(year, month, 1)
        except ValueError:
            first = today.replace(day=1)
        contractor = None
        contractors = []
        contractor_counts = []
        days = []
        if self.request.user.role == Role.PREFECTURE:
            # Only the contractor is read here (the month comes as ?month=YYYY-MM, not the list's filter).
            form = PeerFilterForm(self.request.GET or None, user=self.request.user)
            contractors = list(form.fields["contractor"].queryset)
            contractor = form.cleaned_data.get("contractor") if form.is_valid() else None
        if contractor is None and self.request.user.role == Role.PREFECTURE:
            contractor_counts = activity_month_counts(
                viewer=self.request.user, year=first.year, month=first.month, contractors=contractors
            )
            total = sum(count for _contractor, count in contractor_counts)
        else:
            days = activity_month(viewer=self.request.user, year=first.year, month=first.month, contractor=contractor)
            total = sum(len(activities) for _day, activities in days)
        previous = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return super().get_context_data(
            days=[(day, WEEKDAYS[day.weekday()], activities) for day, activities in days],
            month=first,
            previous=f"{previous:%Y-%m}",
            following=f"{following:%Y-%m}",
            total=total,
            contractors=contractors,
            contractor=contractor,
            contractor_counts=contractor_counts,
            today=today,
            **kwargs,
        )


class PersonListView(PeerListView):
    title = "支援対象者"
    filter_form_class = PersonFilterForm
    create_url_name = "peers:person_create"
    empty_message = "支援対象者はまだ登録されていません。氏名ではなく事業所内の記号（コード）で登録します。"
    csv_name = "支援対象者"
    default_sort = "code"
    columns = [
        Column("対象者コード", lambda p: p.code, sort="code", link=True),
        Column("入院先の病院", lambda p: p.hospital.name if p.hospital else "", sort="hospital__name"),
        Column("支援開始日", lambda p: p.support_started_on, sort="support_started_on"),
        Column("退院日", lambda p: p.discharged_on, sort="discharged_on"),
        Column("地域生活支援の開始日", lambda p: p.community_support_started_on),
        Column("活動回数", lambda p: p.activity_count, sort="activity_count", num=True),
        Column("最終活動日", lambda p: p.last_activity, sort="last_activity"),
    ]

    def selector(self, filters):
        return person_list(viewer=self.request.user, filters=filters)


class PersonDetailView(PeerDetailView):
    model = PersonSupported
    title = "支援対象者"
    template_name = "peers/person_detail.html"
    edit_url_name = "peers:person_update"
    delete_url_name = "peers:person_delete"
    list_url_name = "peers:person_list"
    fields = [
        Column("受託事業者", lambda p: p.organisation.name),
        Column("対象者コード", lambda p: p.code),
        Column("入院先の病院", lambda p: p.hospital.name if p.hospital else "—"),
        Column("支援開始日", lambda p: p.support_started_on),
        Column("退院日", lambda p: p.discharged_on or "入院中（未退院）"),
        Column("地域生活支援の開始日", lambda p: p.community_support_started_on),
        Column("地域生活支援の内容", lambda p: p.community_support_note),
        Column("備考", lambda p: p.note),
    ]

    def get_context_data(self, **kwargs):
        activities = self.object.activities.select_related("district", "hospital").order_by("-date")[:50]
        return super().get_context_data(activities=activities, **kwargs)


class PersonCreateView(PeerCreateView):
    model = PersonSupported
    form_class = PersonForm
    title = "支援対象者の登録"
    cancel_url_name = "peers:person_list"

    def get_initial(self):
        return {"support_started_on": timezone.localdate()}


class PersonUpdateView(PeerUpdateView):
    model = PersonSupported
    form_class = PersonForm
    title = "支援対象者の変更"


class PersonDeleteView(PeerDeleteView):
    model = PersonSupported
    success_url_name = "peers:person_list"
