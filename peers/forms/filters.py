"""Filter forms of the lists: the same filters drive the page and its CSV download."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.utils import timezone

from accounts.models import HealthCentre, Organisation, OrganisationKind, Role
from accounts.wareki import fiscal_year_label, fiscal_year_of
from peers.models import (
    ActivityKind,
    Contract,
    CourseKind,
    ExpenseCategory,
    HealthCentreActivityKind,
    Hospital,
    PeerSupporter,
    SupporterStatus,
)

FIRST_FISCAL_YEAR = 2019
RAW_ID = re.compile(r"[0-9]{1,9}")  # fits an integer column; anything else is left to the field to refuse
MONTHS = [(m, f"{m}月") for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def fiscal_year_choices() -> list[tuple]:
    current = fiscal_year_of(timezone.localdate())
    years = range(current + 1, FIRST_FISCAL_YEAR - 1, -1)
    return [("", "すべて")] + [(year, fiscal_year_label(year)) for year in years]


class PeerFilterForm(forms.Form):
    """Search box plus, for prefecture staff, the contractor filter."""

    q = forms.CharField(label="検索", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.role == Role.PREFECTURE:
            self.fields["contractor"] = forms.ModelChoiceField(
                label="受託事業者",
                required=False,
                empty_label="すべて",
                queryset=Organisation.objects.filter(kind=OrganisationKind.CONTRACTOR, runs_peer_support=True),
            )
            # Right after the search box: the choices of some filters (supporters, contracts) follow it.
            self.order_fields(["q", "contractor"])

    def raw_id(self, name: str) -> int | None:
        """A submitted id before validation: narrowing by it costs no query, and a bad one fails its own field."""
        value = self.data.get(self.add_prefix(name)) if self.is_bound else None
        return int(value) if isinstance(value, str) and RAW_ID.fullmatch(value) else None

    def or_chosen(self, condition: Q, name: str) -> Q:
        """`condition`, or the record the URL already names: a drill-down link's choice stays valid and selected."""
        chosen = self.raw_id(name)
        return condition | Q(pk=chosen) if chosen is not None else condition

    def narrowed(self, queryset, name: str):
        """Choices of `name` (records that grow with the data) within the chosen contractor only.

        Prefecture staff pick the contractor first, so the select lists one organisation's records,
        not the whole prefecture's. The id the URL already carries (the 実績報告書 and other pages link
        here with it, sometimes without the contractor) stays a valid, selected choice.
        """
        if "contractor" not in self.fields:
            return queryset  # contractor staff see their own organisation's records only
        contractor = self.raw_id("contractor")
        if contractor is None:
            self.fields[name].empty_label = "受託事業者を選ぶと選べます"
            chosen = self.raw_id(name)
            return queryset.filter(pk=chosen) if chosen is not None else queryset.none()
        return queryset.filter(self.or_chosen(Q(organisation_id=contractor), name))


def _fiscal_year_field(label="年度"):
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None, choices=fiscal_year_choices
    )


def _month_field():
    return forms.TypedChoiceField(
        label="月", required=False, coerce=int, empty_value=None, choices=[("", "すべて"), *MONTHS]
    )


def _district_field():
    return forms.ModelChoiceField(
        label="区域（保健所）", required=False, empty_label="すべて", queryset=HealthCentre.objects.all()
    )


def _hospital_field():
    return forms.ModelChoiceField(
        label="病院", required=False, empty_label="すべて", queryset=Hospital.objects.filter(is_active=True)
    )


class ContractFilterForm(PeerFilterForm):
    fiscal_year = _fiscal_year_field()
    district = _district_field()

    field_order = ["fiscal_year", "district"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["q"]


class CoordinatorFilterForm(PeerFilterForm):
    pass


class SupporterFilterForm(PeerFilterForm):
    status = forms.ChoiceField(label="状態", required=False, choices=[("", "すべて"), *SupporterStatus.choices])
    pledge = forms.ChoiceField(
        label="誓約書（本日）",
        required=False,
        choices=[("", "すべて"), ("valid", "有効な誓約書あり"), ("missing", "有効な誓約書なし")],
    )


class PersonFilterForm(PeerFilterForm):
    hospital = _hospital_field()
    discharged = forms.ChoiceField(
        label="退院", required=False, choices=[("", "すべて"), ("yes", "退院した"), ("no", "入院中・未退院")]
    )
    fiscal_year = _fiscal_year_field("退院した年度")


class ActivityFilterForm(PeerFilterForm):
    fiscal_year = _fiscal_year_field()
    month = _month_field()
    kind = forms.ChoiceField(label="種別", required=False, choices=[("", "すべて"), *ActivityKind.choices])
    district = _district_field()
    hospital = _hospital_field()
    supporter = forms.ModelChoiceField(label="ピアサポーター", required=False, empty_label="すべて", queryset=None)

    field_order = ["q", "fiscal_year", "month", "kind", "district", "hospital", "supporter"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        supporters = self.narrowed(PeerSupporter.objects.visible_to(user), "supporter")
        self.fields["supporter"].queryset = supporters.order_by("name_kana", "pk")
        self.fields["q"].label = "検索（記録）"


class CourseFilterForm(PeerFilterForm):
    fiscal_year = _fiscal_year_field()
    month = _month_field()
    kind = forms.ChoiceField(label="種別", required=False, choices=[("", "すべて"), *CourseKind.choices])
    district = _district_field()


class CouncilFilterForm(PeerFilterForm):
    fiscal_year = _fiscal_year_field()
    month = _month_field()
    district = _district_field()


class ExpenditureFilterForm(PeerFilterForm):
    fiscal_year = _fiscal_year_field()
    month = _month_field()
    category = forms.ChoiceField(label="費目", required=False, choices=[("", "すべて"), *ExpenseCategory.choices])
    # The 実績報告書 counts a contract's expenditures (第5条4): its figures link here with the contract.
    contract = forms.ModelChoiceField(label="委託契約", required=False, empty_label="すべて", queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        contracts = Contract.objects.visible_to(user).select_related("organisation")
        if (year := self.raw_id("fiscal_year")) is not None:
            contracts = contracts.filter(self.or_chosen(Q(fiscal_year=year), "contract"))
        contracts = self.narrowed(contracts, "contract")
        self.fields["contract"].queryset = contracts.order_by("-fiscal_year", "organisation__code")


class HealthCentreActivityFilterForm(forms.Form):
    q = forms.CharField(label="検索", required=False)
    fiscal_year = _fiscal_year_field()
    month = _month_field()
    kind = forms.ChoiceField(label="種別", required=False, choices=[("", "すべて"), *HealthCentreActivityKind.choices])
    hospital = _hospital_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.PREFECTURE:
            self.fields["health_centre"] = forms.ModelChoiceField(
                label="保健所",
                required=False,
                empty_label="すべて",
                queryset=Organisation.objects.filter(kind=OrganisationKind.HEALTH_CENTRE),
            )
