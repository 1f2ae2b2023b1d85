"""Sorting and pagination every list page shares."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PAGE_SIZE = 50


def sort_queryset(request, queryset: QuerySet, allowed: dict[str, str], default: str) -> tuple[QuerySet, str]:
    """Order by ?sort=<key> or ?sort=-<key>, only by the keys a page allows (never a raw field name)."""
    requested = request.GET.get("sort", default)
    key = requested.lstrip("-")
    if key not in allowed:
        requested, key = default, default.lstrip("-")
    field = allowed[key]
    descending = requested.startswith("-")
    return queryset.order_by(f"-{field}" if descending else field, "-pk" if descending else "pk"), requested


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
