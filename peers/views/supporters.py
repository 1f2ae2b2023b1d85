"""Peer supporters (第2条(2)), the conditions told to them and their pledges (第5条5).

Supporters hold personal data: opening, changing and exporting them is written to the audit log.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.audit import audit
from accounts.decorators import role_required
from accounts.history import change_history
from accounts.models import AuditAction
from accounts.permissions import get_visible_or_404
from accounts.wareki import fiscal_year_of
from peers import services
from peers.forms.filters import SupporterFilterForm, fiscal_year_choices
from peers.forms.records import ConditionsForm, PledgeForm, SupporterForm
from peers.models import PeerSupporter, Pledge, SupporterConditions
from peers.selectors import (
    supporter_activity_history,
    supporter_hours_by_fiscal_year,
    supporter_hours_by_month,
    supporter_list,
)
from peers.views.base import (
    VIEW_ROLES,
    Column,
    PeerCreateView,
    PeerDeleteView,
    PeerDetailView,
    PeerListView,
    PeerUpdateView,
)


def _pledge_badge(supporter) -> str:
    return "有効" if supporter.has_valid_pledge else "なし"


def requested_fiscal_year(request, today) -> int:
    """?fiscal_year=… if it is one of the offered years, else the current 年度."""
    offered = [choice[0] for choice in fiscal_year_choices() if choice[0]]
    try:
        year = int(request.GET.get("fiscal_year") or fiscal_year_of(today))
    except ValueError:
        return fiscal_year_of(today)
    return year if year in offered else fiscal_year_of(today)


class SupporterListView(PeerListView):
    title = "ピアサポーター"
    filter_form_class = SupporterFilterForm
    create_url_name = "peers:supporter_create"
    empty_message = "ピアサポーターはまだ登録されていません。"
    csv_name = "ピアサポーター"
    default_sort = "name_kana"
    columns = [
        Column("氏名", lambda s: s.name, sort="name", link=True),
        Column("フリガナ", lambda s: s.name_kana, sort="name_kana"),
        Column("状態", lambda s: s.get_status_display(), sort="status"),
        Column("活動開始日", lambda s: s.start_date, sort="start_date"),
        Column("登録の経緯", lambda s: s.get_joined_via_display(), sort="joined_via"),
        Column("誓約書（本日）", _pledge_badge),
    ]

    def selector(self, filters):
        return supporter_list(viewer=self.request.user, filters=filters)


class SupporterDetailView(PeerDetailView):
    model = PeerSupporter
    title = "ピアサポーター"
    template_name = "peers/supporter_detail.html"
    edit_url_name = "peers:supporter_update"
    delete_url_name = "peers:supporter_delete"
    list_url_name = "peers:supporter_list"
    fields = [
        Column("受託事業者", lambda s: s.organisation.name),
        Column("氏名", lambda s: s.name),
        Column("フリガナ", lambda s: s.name_kana),
        Column("活動開始日", lambda s: s.start_date),
        Column("状態", lambda s: s.get_status_display()),
        Column("状態の変更日", lambda s: s.status_changed_on),
        Column("登録の経緯", lambda s: s.get_joined_via_display()),
        Column("経緯の補足", lambda s: s.joined_note),
        Column("備考", lambda s: s.note),
    ]

    def get_context_data(self, **kwargs):
        supporter = self.object
        today = timezone.localdate()
        year = requested_fiscal_year(self.request, today)
        pledges = list(supporter.pledges.all())
        for pledge in pledges:
            pledge.valid_today = pledge.is_valid_on(today)
        return super().get_context_data(
            pledges=pledges,
            has_valid_pledge=any(pledge.valid_today for pledge in pledges),
            today=today,
            conditions=supporter.conditions.all(),
            history=supporter_activity_history(supporter=supporter),
            change_history=change_history(supporter),
            monthly=supporter_hours_by_month(supporter=supporter, fiscal_year=year),
            yearly=supporter_hours_by_fiscal_year(supporter=supporter),
            fiscal_year=year,
            fiscal_year_choices=[choice for choice in fiscal_year_choices() if choice[0]],
            **kwargs,
        )


class SupporterStatementView(PeerDetailView):
    """A printable statement for the supporter: conditions told, and hours and pay by month (第5条5)."""

    model = PeerSupporter
    title = "活動実績のお知らせ"
    template_name = "peers/supporter_statement.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        year = requested_fiscal_year(self.request, today)
        monthly = supporter_hours_by_month(supporter=self.object, fiscal_year=year)
        return super().get_context_data(
            fiscal_year=year,
            monthly=monthly,
            total_sessions=sum(row.sessions for row in monthly),
            total_hours=sum(row.hours for row in monthly),
            total_pay=sum(row.pay for row in monthly),
            conditions=self.object.conditions.first(),
            today=today,
            **kwargs,
        )


class SupporterCreateView(PeerCreateView):
    model = PeerSupporter
    form_class = SupporterForm
    title = "ピアサポーターの登録"
    success_message = "ピアサポーターを登録しました。活動条件の説明と誓約書を登録してください（要綱第5条5）。"
    cancel_url_name = "peers:supporter_list"


class SupporterUpdateView(PeerUpdateView):
    model = PeerSupporter
    form_class = SupporterForm
    title = "ピアサポーターの変更"


class SupporterDeleteView(PeerDeleteView):
    model = PeerSupporter
    success_url_name = "peers:supporter_list"


class SupporterChildMixin:
    """Conditions and pledges belong to a supporter the user may change (404 otherwise)."""

    def get_supporter(self) -> PeerSupporter:
        if not hasattr(self, "_supporter"):
            self._supporter = get_visible_or_404(
                self.request.user, PeerSupporter, action="change", pk=self.kwargs["supporter_pk"]
            )
        return self._supporter

    def get_organisation(self):
        return self.get_supporter().organisation

    def assign_owner(self, obj) -> None:
        if obj.pk is None:
            obj.supporter = self.get_supporter()
            obj.organisation = obj.supporter.organisation

    def get_context_data(self, **kwargs):
        return super().get_context_data(supporter=self.get_supporter(), **kwargs)

    def get_success_url(self):
        return self.object.supporter.get_absolute_url()


class ChildUpdateMixin:
    def get_success_url(self):
        return self.object.supporter.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.object.supporter.get_absolute_url()
        return context


class ConditionsCreateView(SupporterChildMixin, PeerCreateView):
    model = SupporterConditions
    form_class = ConditionsForm
    title = "活動条件の説明の登録（要綱第5条5）"

    def get_initial(self):
        return {"told_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_supporter().get_absolute_url()
        context["title"] = f"{self.title}：{self.get_supporter().name}"
        return context


class ConditionsUpdateView(ChildUpdateMixin, PeerUpdateView):
    model = SupporterConditions
    form_class = ConditionsForm
    title = "活動条件の説明の変更"


class ConditionsDeleteView(PeerDeleteView):
    model = SupporterConditions

    def get_success_url(self):
        return self.object.supporter.get_absolute_url()


class PledgeCreateView(SupporterChildMixin, PeerCreateView):
    model = Pledge
    form_class = PledgeForm
    title = "誓約書の登録（要綱第5条5）"
    success_message = "誓約書を登録しました。"

    def get_initial(self):
        return {"signed_on": timezone.localdate(), "explained_by": self.request.user.display_name}

    def save(self, obj, form):
        return services.pledge_save(pledge=obj, by=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_supporter().get_absolute_url()
        context["title"] = f"{self.title}：{self.get_supporter().name}"
        return context


class PledgeUpdateView(ChildUpdateMixin, PeerUpdateView):
    model = Pledge
    form_class = PledgeForm
    title = "誓約書の変更"

    def save(self, obj, form):
        return services.pledge_save(pledge=obj, by=self.request.user)


class PledgeDeleteView(PeerDeleteView):
    model = Pledge

    def get_success_url(self):
        return self.object.supporter.get_absolute_url()


@require_GET
@role_required(*VIEW_ROLES)
def pledge_scan(request, pk: int):
    """Stream a pledge's scan to someone who may see the supporter; never through a public URL."""
    pledge = get_visible_or_404(request.user, Pledge.objects.select_related("supporter"), pk=pk)
    if not pledge.scan:
        raise Http404("誓約書の写しは登録されていません。")
    try:
        handle = pledge.scan.open("rb")
    except FileNotFoundError:
        raise Http404("誓約書の写しのファイルが見つかりません。") from None
    audit(request.user, AuditAction.VIEW, pledge, detail="誓約書の写しをダウンロード")
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(pledge.scan_content_type, "bin")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"誓約書_{pledge.signed_on:%Y%m%d}_{pledge.pk}.{extension}",
        content_type=pledge.scan_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
