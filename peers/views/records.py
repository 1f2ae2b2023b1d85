"""Council reports (第5条3), separate accounts (第5条4), health-centre activities (第4条2), hospitals."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.generic import CreateView, TemplateView, UpdateView

from accounts.audit import audit
from accounts.exports import audited_export, wants_export
from accounts.mixins import RoleRequiredMixin
from accounts.models import AuditAction, Role
from accounts.wareki import fiscal_year_of
from peers.forms.filters import CouncilFilterForm, ExpenditureFilterForm, HealthCentreActivityFilterForm
from peers.forms.records import CouncilReportForm, ExpenditureForm, HealthCentreActivityForm, HospitalForm
from peers.models import CouncilReport, Expenditure, HealthCentreActivity, Hospital
from peers.selectors import (
    contract_list,
    council_list,
    expenditure_list,
    expenditure_totals,
    hc_activity_list,
    hospitals,
)
from peers.views.base import (
    Column,
    PeerCreateView,
    PeerDeleteView,
    PeerDetailView,
    PeerListView,
    PeerUpdateView,
)

HC_ROLES = (Role.HEALTH_CENTRE,)


class CouncilListView(PeerListView):
    title = "協議の場への報告"
    filter_form_class = CouncilFilterForm
    create_url_name = "peers:council_create"
    empty_message = "協議の場（精神障害者地域支援体制構築会議等）への報告はまだ記録されていません（要綱第5条3）。"
    csv_name = "協議の場への報告"
    default_sort = "-date"
    columns = [
        Column("報告日", lambda r: r.date, sort="date", link=True),
        Column("協議の場", lambda r: r.council, sort="council"),
        Column("区域", lambda r: r.district.name, sort="district"),
        Column("報告した成果", lambda r: r.outcomes),
        Column("効果", lambda r: r.effects),
        Column("課題", lambda r: r.issues),
    ]

    def selector(self, filters):
        return council_list(viewer=self.request.user, filters=filters)


class CouncilDetailView(PeerDetailView):
    model = CouncilReport
    title = "協議の場への報告"
    edit_url_name = "peers:council_update"
    delete_url_name = "peers:council_delete"
    list_url_name = "peers:council_list"
    fields = [
        Column("受託事業者", lambda r: r.organisation.name),
        Column("報告日", lambda r: r.date),
        Column("協議の場", lambda r: r.council),
        Column("区域（保健所）", lambda r: r.district.name),
        Column("報告した成果", lambda r: r.outcomes),
        Column("効果", lambda r: r.effects),
        Column("明らかになった課題", lambda r: r.issues),
    ]


class CouncilCreateView(PeerCreateView):
    model = CouncilReport
    form_class = CouncilReportForm
    title = "協議の場への報告の登録"
    cancel_url_name = "peers:council_list"

    def get_initial(self):
        return {"date": timezone.localdate()}


class CouncilUpdateView(PeerUpdateView):
    model = CouncilReport
    form_class = CouncilReportForm
    title = "協議の場への報告の変更"


class CouncilDeleteView(PeerDeleteView):
    model = CouncilReport
    success_url_name = "peers:council_list"


class ExpenditureListView(PeerListView):
    title = "経理（支出）"
    template_name = "peers/expenditure_list.html"
    filter_form_class = ExpenditureFilterForm
    create_url_name = "peers:expenditure_create"
    empty_message = "支出はまだ記録されていません。本事業の経理は他の事業と区別して記録します（要綱第5条4）。"
    csv_name = "経理_支出"
    default_sort = "-date"
    columns = [
        Column("支出日", lambda e: e.date, sort="date", link=True),
        Column("年度", lambda e: e.contract.fiscal_year_label, sort="contract__fiscal_year"),
        Column("費目", lambda e: e.get_category_display(), sort="category"),
        Column("金額", lambda e: e.amount, sort="amount", num=True, yen=True),
        Column("支払先", lambda e: e.payee, sort="payee"),
        Column("摘要", lambda e: e.note),
    ]

    def selector(self, filters):
        return expenditure_list(viewer=self.request.user, filters=filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.role == Role.COORDINATOR:
            cleaned = context["form"].cleaned_data if context["form"].is_bound else {}
            year = cleaned.get("fiscal_year") or None
            contracts = contract_list(viewer=self.request.user)
            if cleaned.get("contract"):
                contracts = contracts.filter(pk=cleaned["contract"].pk)
                year = year or cleaned["contract"].fiscal_year
            contract = contracts.filter(fiscal_year=year or _current_fiscal_year()).first()
            context["totals"] = expenditure_totals(contract) if contract else None
        return context


def _current_fiscal_year() -> int:
    return fiscal_year_of(timezone.localdate())


class ExpenditureDetailView(PeerDetailView):
    model = Expenditure
    title = "支出"
    edit_url_name = "peers:expenditure_update"
    delete_url_name = "peers:expenditure_delete"
    list_url_name = "peers:expenditure_list"
    fields = [
        Column("受託事業者", lambda e: e.organisation.name),
        Column("委託契約", lambda e: str(e.contract)),
        Column("支出日", lambda e: e.date),
        Column("費目", lambda e: e.get_category_display()),
        Column("金額", lambda e: f"{e.amount:,}円"),
        Column("支払先", lambda e: e.payee),
        Column("摘要", lambda e: e.note),
    ]


class ExpenditureCreateView(PeerCreateView):
    model = Expenditure
    form_class = ExpenditureForm
    title = "支出の登録（要綱第5条4）"
    cancel_url_name = "peers:expenditure_list"

    def get_initial(self):
        return {"date": timezone.localdate()}

    def get_success_url(self):
        return self.object.contract.get_absolute_url()


class ExpenditureUpdateView(PeerUpdateView):
    model = Expenditure
    form_class = ExpenditureForm
    title = "支出の変更"


class ExpenditureDeleteView(PeerDeleteView):
    model = Expenditure
    success_url_name = "peers:expenditure_list"


HC_VIEW_ROLES = (Role.PREFECTURE, Role.HEALTH_CENTRE)


def _audience(entry: HealthCentreActivity) -> str:
    parts = [
        ("市町村", entry.audience_municipalities),
        ("病院", entry.audience_hospitals),
        ("事業者", entry.audience_providers),
        ("住民", entry.audience_residents),
        ("その他", entry.audience_others),
    ]
    return "、".join(f"{label}{count}" for label, count in parts if count)


class HealthCentreActivityListView(PeerListView):
    title = "保健所の活動"
    allowed_roles = HC_VIEW_ROLES
    create_roles = HC_ROLES
    filter_form_class = HealthCentreActivityFilterForm
    create_url_name = "peers:hc_activity_create"
    empty_message = "保健所の活動（研修・シンポジウム、病院への協力要請など）はまだ記録されていません（要綱第4条2）。"
    csv_name = "保健所の活動"
    default_sort = "-date"
    columns = [
        Column("実施日", lambda e: e.date, sort="date", link=True),
        Column("種別", lambda e: e.get_kind_display(), sort="kind"),
        Column("件名", lambda e: e.title, sort="title"),
        Column("要請先の病院", lambda e: e.hospital.name if e.hospital else ""),
        Column("対象（人）", _audience),
        Column("合計（人）", lambda e: e.audience_total, num=True),
    ]

    def get_columns(self):
        if self.request.user.role == Role.PREFECTURE:
            return [Column("保健所", lambda e: e.organisation.name, sort="organisation"), *self.columns]
        return list(self.columns)

    def selector(self, filters):
        return hc_activity_list(viewer=self.request.user, filters=filters)


class HealthCentreActivityDetailView(PeerDetailView):
    model = HealthCentreActivity
    title = "保健所の活動"
    allowed_roles = HC_VIEW_ROLES
    edit_roles = HC_ROLES
    edit_url_name = "peers:hc_activity_update"
    delete_url_name = "peers:hc_activity_delete"
    list_url_name = "peers:hc_activity_list"
    fields = [
        Column("保健所", lambda e: e.organisation.name),
        Column("実施日", lambda e: e.date),
        Column("種別", lambda e: e.get_kind_display()),
        Column("件名", lambda e: e.title),
        Column("要請先の病院", lambda e: e.hospital.name if e.hospital else "—"),
        Column("対象：市町村", lambda e: e.audience_municipalities),
        Column("対象：病院", lambda e: e.audience_hospitals),
        Column("対象：福祉サービス事業者", lambda e: e.audience_providers),
        Column("対象：地域住民", lambda e: e.audience_residents),
        Column("対象：その他", lambda e: e.audience_others),
        Column("合計", lambda e: e.audience_total),
        Column("内容・備考", lambda e: e.note),
    ]


class HealthCentreActivityCreateView(PeerCreateView):
    model = HealthCentreActivity
    form_class = HealthCentreActivityForm
    allowed_roles = HC_ROLES
    title = "保健所の活動の登録（要綱第4条2）"
    cancel_url_name = "peers:hc_activity_list"

    def get_initial(self):
        return {"date": timezone.localdate()}


class HealthCentreActivityUpdateView(PeerUpdateView):
    model = HealthCentreActivity
    form_class = HealthCentreActivityForm
    allowed_roles = HC_ROLES
    title = "保健所の活動の変更"


class HealthCentreActivityDeleteView(PeerDeleteView):
    model = HealthCentreActivity
    allowed_roles = HC_ROLES
    success_url_name = "peers:hc_activity_list"


class HospitalListView(RoleRequiredMixin, TemplateView):
    """The psychiatric hospitals per district (master data the prefecture keeps in the admin)."""

    allowed_roles = (Role.PREFECTURE, Role.COORDINATOR, Role.HEALTH_CENTRE)
    template_name = "peers/hospital_list.html"

    def get(self, request, *args, **kwargs):
        if wants_export(request):
            return audited_export(
                request,
                model=Hospital,
                filename_stem="精神科病院",
                header=["区域（保健所）", "病院名", "所在地"],
                rows=((h.health_centre.name, h.name, h.address) for h in self.hospitals()),
            )
        return super().get(request, *args, **kwargs)

    def hospitals(self):
        """Prefecture staff also see closed hospitals, to correct or reopen them."""
        return hospitals(include_inactive=self.request.user.role == Role.PREFECTURE)

    def get_context_data(self, **kwargs):
        return super().get_context_data(hospitals=self.hospitals(), **kwargs)


class HospitalEditMixin(RoleRequiredMixin):
    """Prefecture staff keep the hospital master data; every change is audited."""

    allowed_roles = (Role.PREFECTURE,)
    model = Hospital
    form_class = HospitalForm
    template_name = "peers/form.html"
    success_url = reverse_lazy("peers:hospital_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, cancel_url=self.success_url, **kwargs)

    def form_valid(self, form):
        is_new = form.instance.pk is None
        with transaction.atomic():
            self.object = form.save()
            audit(self.request.user, AuditAction.CREATE if is_new else AuditAction.UPDATE, self.object)
        messages.success(self.request, f"病院「{self.object.name}」を{'登録' if is_new else '変更'}しました。")
        return HttpResponseRedirect(self.get_success_url())


class HospitalCreateView(HospitalEditMixin, CreateView):
    title = "精神科病院の登録"


class HospitalUpdateView(HospitalEditMixin, UpdateView):
    title = "精神科病院の変更"
