"""The yearly summary of an agency (or, for the prefecture, of all agencies): the report's numbers on screen."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.models import Role
from accounts.wareki import fiscal_year_months, fiscal_year_of
from outreach import selectors
from outreach.models import Agency, ContactKind, OutcomeKind, SocialResourceKind
from outreach.models.clients import CRITERIA
from outreach.views.base import READERS


class SummaryFilterForm(forms.Form):
    fiscal_year = forms.IntegerField(label="年度（西暦）", min_value=2019, max_value=2100, required=False)
    agency = forms.ModelChoiceField(label="機関", queryset=Agency.objects.none(), required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        if viewer.role == Role.PREFECTURE:
            self.fields["agency"].queryset = Agency.objects.all()
        else:
            del self.fields["agency"]


@require_GET
@role_required(*READERS)
def year_summary(request):
    form = SummaryFilterForm(request.GET or None, viewer=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    fiscal_year = filters.get("fiscal_year") or fiscal_year_of(timezone.localdate())
    summary = selectors.year_summary(viewer=request.user, fiscal_year=fiscal_year, agency=filters.get("agency"))
    contacts_by_kind = summary["contacts_by_kind"]
    kind_rows = [
        (label, contacts_by_kind.get(kind, [0] * 12), sum(contacts_by_kind.get(kind, [])))
        for kind, label in ContactKind.choices
    ]
    context = {
        "form": form,
        "fiscal_year": fiscal_year,
        "summary": summary,
        "months": [month for _year, month in fiscal_year_months(fiscal_year)],
        "kind_rows": kind_rows,
        "criteria_rows": [(label, summary["clients"][field]) for field, label in CRITERIA],
        "outcome_rows": [(label, summary["outcomes"][kind]) for kind, label in OutcomeKind.choices],
        "linkage_rows": [(label, summary["linkages"][kind]) for kind, label in SocialResourceKind.choices],
        "profile_tables": [
            ("年齢（4月1日時点）", summary["profile"]["age"]),
            ("性別", summary["profile"]["sex"]),
            ("相談経路", summary["profile"]["referral_route"]),
        ],
        "flag_rows": [(label, summary["flags"][key]) for key, (label, _field) in selectors.FLAG_FILTERS.items()],
    }
    return render(request, "outreach/summary.html", context)
