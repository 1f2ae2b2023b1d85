"""The outreach worker's home panel: this month's contacts, quiet cases, plans due for review."""

from __future__ import annotations

from django.utils import timezone

from outreach import selectors
from outreach.models import Client

PANEL_ROWS = 5


def worker_panel_context(request) -> dict:
    today = timezone.localdate()
    viewer = request.user
    stale = selectors.stale_clients(Client.objects.visible_to(viewer), today=today)
    return {
        **selectors.worker_home_summary(viewer=viewer, today=today),
        "stale_days": selectors.STALE_DAYS,
        "placed": selectors.worker_of(viewer) is not None,
        "due_plans": list(selectors.plans_due_for_review(viewer=viewer, today=today)[:PANEL_ROWS]),
        "stale_list": list(stale.order_by("registered_on", "pk")[:PANEL_ROWS]),
    }
