"""Home-page panels: each app registers what its users should see first when they log in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomePanel:
    template: str
    roles: tuple[str, ...]
    context: Callable  # (request) -> dict
    order: int = 100


_panels: list[HomePanel] = []


def register_panel(template: str, *, roles: tuple[str, ...], context: Callable, order: int = 100) -> None:
    if all(panel.template != template for panel in _panels):
        _panels.append(HomePanel(template, tuple(roles), context, order))


def panels_for(request) -> list[dict]:
    role = request.user.role
    return [
        {"template": panel.template, **panel.context(request)}
        for panel in sorted(_panels, key=lambda p: p.order)
        if role in panel.roles
    ]
