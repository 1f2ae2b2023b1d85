"""The menu: each app registers its entries (in AppConfig.ready) with the roles that see them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 100


_items: list[NavItem] = []


def register(section: str, label: str, url_name: str, *, roles: tuple[str, ...], order: int = 100) -> None:
    item = NavItem(section, label, url_name, tuple(roles), order)
    if item not in _items:
        _items.append(item)


def sections_for(role: str | None) -> list[tuple[str, list[dict]]]:
    grouped: dict[str, list[dict]] = {}
    for item in sorted(_items, key=lambda i: i.order):
        if role in item.roles:
            grouped.setdefault(item.section, []).append({"label": item.label, "url": reverse(item.url_name)})
    return list(grouped.items())
