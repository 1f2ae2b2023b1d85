"""Reads of shared master data and the audit log."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from accounts.models import AuditEvent, HealthCentre, Municipality, Organisation, OrganisationKind


def organisation_list(*, kind: str = "", query: str = "") -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("health_centre").annotate(member_count=Count("memberships"))
    if kind:
        organisations = organisations.filter(kind=kind)
    if query:
        organisations = organisations.filter(name__icontains=query) | organisations.filter(code__icontains=query)
    return organisations.order_by("kind", "code")


def contractors() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.CONTRACTOR, is_active=True).order_by("code")


def districts() -> QuerySet[HealthCentre]:
    return HealthCentre.objects.prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.order_by("sort_order"))
    ).order_by("sort_order")


def audit_events(*, filters: dict) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("organisation")
    if filters.get("username"):
        events = events.filter(username__icontains=filters["username"])
    if filters.get("organisation"):
        events = events.filter(organisation=filters["organisation"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("object_type"):
        events = events.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        events = events.filter(object_id=filters["object_id"])
    if filters.get("date_from"):
        events = events.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        events = events.filter(at__date__lte=filters["date_to"])
    return events.order_by("-at", "-id")
