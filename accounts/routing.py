"""URL shapes the programs share: one concept's list / new / <pk> / <pk>/edit / <pk>/delete."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from django.urls import URLPattern, path


def crud_urls(
    prefix: str,
    name: str,
    module: ModuleType,
    stem: str,
    *,
    list_view: Callable | None = None,
    csv_view: Callable | None = None,
    create: bool = True,
    detail: bool = True,
) -> list[URLPattern]:
    """The routes of one concept, named `<name>_list`, `_csv`, `_create`, `_detail`, `_update`, `_delete`.

    Class-based views are found in `module` as `<stem>ListView`, `<stem>CreateView`, and so on.
    `list_view` replaces the list class with a function view; `csv_view` adds `<prefix>/csv/`.
    `create=False` is for records created under their parent's URL, `detail=False` for concepts
    whose list is their only page.
    """

    def view(kind: str):
        return getattr(module, f"{stem}{kind}View").as_view()

    routes = [path(f"{prefix}/", list_view or view("List"), name=f"{name}_list")]
    if csv_view is not None:
        routes.append(path(f"{prefix}/csv/", csv_view, name=f"{name}_csv"))
    if create:
        routes.append(path(f"{prefix}/new/", view("Create"), name=f"{name}_create"))
    if detail:
        routes.append(path(f"{prefix}/<int:pk>/", view("Detail"), name=f"{name}_detail"))
    routes.append(path(f"{prefix}/<int:pk>/edit/", view("Update"), name=f"{name}_update"))
    routes.append(path(f"{prefix}/<int:pk>/delete/", view("Delete"), name=f"{name}_delete"))
    return routes
