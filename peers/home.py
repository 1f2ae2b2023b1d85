"""The coordinators' home panel: this month's activities and what needs attention."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.wareki import fiscal_year_of
from peers.models import Activity, Contract
from peers.selectors import has_active_coordinator, pledges_lapsing, supporters_without_pledge


def coordinator_panel(request) -> dict:
    organisation = request.user.organisation
    today = timezone.localdate()
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return {
        "month_activities": Activity.objects.filter(
            organisation=organisation, date__gte=first, date__lt=following
        ).count(),
        "lapsing": list(pledges_lapsing(organisation=organisation, today=today)[:10]),
        "without_pledge": list(supporters_without_pledge(organisation=organisation, today=today)[:10]),
        "missing_coordinator": not has_active_coordinator(organisation),
        "missing_contract": not Contract.objects.filter(
            organisation=organisation, fiscal_year=fiscal_year_of(today)
        ).exists(),
        "today": today,
    }
