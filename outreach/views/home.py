"""The outreach worker's home panel: this month's contacts, quiet cases, plans due for review."""

from __future__ import annotations

from django.utils import timezone

from outreach import selectors


def worker_panel_context(request) -> dict:
    today = timezone.localdate()
    return {
        **selectors.worker_home_summary(viewer=request.user, today=today),
        "stale_days": selectors.STALE_DAYS,
        "placed": selectors.worker_of(request.user) is not None,
    }
