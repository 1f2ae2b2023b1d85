"""委託契約 (set up by prefecture staff, read-only to the contractor) and coordinators (第2条(1))."""

from __future__ import annotations

from accounts.models import Role
from peers.forms.filters import ContractFilterForm, CoordinatorFilterForm
from peers.forms.records import ContractForm, CoordinatorForm
from peers.models import Contract, Coordinator
from peers.selectors import contract_list, coordinator_list, expenditure_totals
from peers.views.base import (
    Column,
    PeerCreateView,
    PeerDeleteView,
    PeerDetailView,
    PeerListView,
    PeerUpdateView,
)

PREFECTURE_ONLY = (Role.PREFECTURE,)


def _districts(contract: Contract) -> str:
    return "、".join(district.name for district in contract.districts.all())


class ContractListView(PeerListView):
    title = "委託契約"
    filter_form_class = ContractFilterForm
    create_url_name = "peers:contract_create"
    create_roles = PREFECTURE_ONLY
    empty_message = "委託契約はまだ登録されていません（契約は県の担当者が登録します）。"
    default_sort = "-fiscal_year"
    columns = [
        Column("年度", lambda c: c.fiscal_year_label, sort="fiscal_year", link=True),
        Column("契約金額", lambda c: c.amount, sort="amount", num=True, yen=True),
        Column("支出合計", lambda c: c.spent, sort="spent", num=True, yen=True),
        Column("経理（第5条4）", lambda c: "契約金額を超過" if c.spent > c.amount else "契約金額内"),
        Column("契約期間（開始）", lambda c: c.start_date, sort="start_date"),
        Column("契約期間（終了）", lambda c: c.end_date, sort="end_date"),
        Column("担当区域", _districts),
    ]

    def selector(self, filters):
        return contract_list(viewer=self.request.user, filters=filters)


class ContractDetailView(PeerDetailView):
    model = Contract
    title = "委託契約"
    template_name = "peers/contract_detail.html"
    edit_url_name = "peers:contract_update"
    delete_url_name = "peers:contract_delete"
    list_url_name = "peers:contract_list"
    edit_roles = PREFECTURE_ONLY
    fields = [
        Column("受託事業者", lambda c: c.organisation.name),
        Column("年度", lambda c: c.fiscal_year_label),
        Column("契約金額", lambda c: f"{c.amount:,}円"),
        Column("契約期間", lambda c: f"{c.start_date:%Y-%m-%d} 〜 {c.end_date:%Y-%m-%d}"),
        Column("担当区域（保健所）", _districts),
        Column("備考", lambda c: c.note),
    ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(totals=expenditure_totals(self.object), **kwargs)


class ContractCreateView(PeerCreateView):
    model = Contract
    form_class = ContractForm
    title = "委託契約の登録"
    allowed_roles = PREFECTURE_ONLY
    m2m_fields = ("districts",)
    cancel_url_name = "peers:contract_list"


class ContractUpdateView(PeerUpdateView):
    model = Contract
    form_class = ContractForm
    title = "委託契約の変更"
    allowed_roles = PREFECTURE_ONLY
    m2m_fields = ("districts",)


class ContractDeleteView(PeerDeleteView):
    model = Contract
    allowed_roles = PREFECTURE_ONLY
    success_url_name = "peers:contract_list"


class CoordinatorListView(PeerListView):
    title = "ピアサポートコーディネーター"
    filter_form_class = CoordinatorFilterForm
    create_url_name = "peers:coordinator_create"
    empty_message = "コーディネーターはまだ登録されていません。受託機関には少なくとも1人を配置します（要綱第2条(1)）。"
    default_sort = "name_kana"
    columns = [
        Column("氏名", lambda c: c.name, sort="name", link=True),
        Column("フリガナ", lambda c: c.name_kana, sort="name_kana"),
        Column("資格", lambda c: c.get_qualification_display(), sort="qualification"),
        Column("登録番号・理由", lambda c: c.psw_registration_number or c.equivalent_note),
        Column("在籍", lambda c: "在籍中" if c.is_active else "退職・異動"),
    ]

    def selector(self, filters):
        return coordinator_list(viewer=self.request.user, filters=filters)


class CoordinatorDetailView(PeerDetailView):
    model = Coordinator
    title = "コーディネーター"
    edit_url_name = "peers:coordinator_update"
    delete_url_name = "peers:coordinator_delete"
    list_url_name = "peers:coordinator_list"
    fields = [
        Column("受託事業者", lambda c: c.organisation.name),
        Column("氏名", lambda c: c.name),
        Column("フリガナ", lambda c: c.name_kana),
        Column("ログインアカウント", lambda c: c.user.username if c.user else "（なし）"),
        Column("資格", lambda c: c.get_qualification_display()),
        Column("精神保健福祉士 登録番号", lambda c: c.psw_registration_number),
        Column("同等程度と判断した理由", lambda c: c.equivalent_note),
        Column("在籍", lambda c: "在籍中" if c.is_active else "退職・異動"),
    ]


class CoordinatorCreateView(PeerCreateView):
    model = Coordinator
    form_class = CoordinatorForm
    title = "コーディネーターの登録"
    cancel_url_name = "peers:coordinator_list"


class CoordinatorUpdateView(PeerUpdateView):
    model = Coordinator
    form_class = CoordinatorForm
    title = "コーディネーターの変更"


class CoordinatorDeleteView(PeerDeleteView):
    model = Coordinator
    success_url_name = "peers:coordinator_list"
