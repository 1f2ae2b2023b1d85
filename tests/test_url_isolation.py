"""Walk every URL pattern of the project (from the resolver) as staff of an organisation that owns
nothing, with another contractor's records in the database, and prove that no object URL answers
with another organisation's record: every GET and POST is 403, 404 or 405.

A new URL that fetches a record without scoping fails here, without anyone adding it to a list.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Organisation, OrganisationKind, Role
from accounts.tenancy import TenantModel
from tests.factories import OrganisationFactory, make_user

REFUSED = {403, 404, 405}
#: Object ids in URLs are named like these; other integers in URLs (a year, a month) are not ids.
ID_KWARG = re.compile(r"(^pk$|_pk$|_id$|^id$)")
#: URLs whose objects are shared master data any signed-in user may read, not an organisation's records.
SHARED_MASTER_DATA = {"peers:hospital_detail", "outreach:resource_detail"}


def _patterns(resolvers, prefix="", namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            name = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), name)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}", entry


def object_url_patterns() -> list[tuple[str, str, list[str]]]:
    found = []
    for route, name, _pattern in _patterns(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue
        kwargs = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if kwargs and all(ID_KWARG.search(k) for k in kwargs) and name not in SHARED_MASTER_DATA:
            found.append((route, name, kwargs))
    return found


def pages_showing(client, secrets: list[str], ids: set[int], *, query: str = "") -> list[str]:
    """GET every URL of the project (object URLs with each of `ids`) as `client`; where a secret shows.

    Lists and reports are fetched as they are and, with `query` (e.g. "format=csv"), as exports too.
    Admin (regex) routes are left out: the admin answers only staff accounts.
    """
    seen = []
    for route, name, _pattern in _patterns(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue
        kwargs = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if kwargs and not all(ID_KWARG.search(k) for k in kwargs):
            continue
        paths = {_path(route, i) for i in ids} if kwargs else {"/" + route}
        for path in sorted(paths):
            for url in (path, f"{path}?{query}") if query else (path,):
                text = _text(client.get(url))
                seen.extend(f"{url} ({name}) shows {secret}" for secret in secrets if secret in text)
    return seen


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _path(route: str, value: int) -> str:
    return "/" + re.sub(r"<(?:\w+:)?\w+>", str(value), route)


def _foreign_ids() -> set[int]:
    """One id of every contractor model (the lowest), all owned by the seeded demo contractors."""
    ids = set()
    for model in apps.get_models():
        if issubclass(model, TenantModel):
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            if first is not None:
                ids.add(first)
    return ids


def _health_centre_owning_nothing() -> Organisation:
    from peers.models import HealthCentreActivity

    owners = HealthCentreActivity.objects.values("organisation")
    return Organisation.objects.filter(kind=OrganisationKind.HEALTH_CENTRE).exclude(pk__in=owners).first()


@pytest.fixture
def seeded(db):
    call_command("seed_demo", verbosity=0)


def test_no_object_url_serves_another_organisations_record(seeded, client):
    """One seeded database, every role in turn (seeding is the slow part)."""
    ids = _foreign_ids() or {1}
    leaks = []
    for role in (Role.COORDINATOR, Role.OUTREACH_WORKER, Role.HEALTH_CENTRE):
        if role == Role.HEALTH_CENTRE:
            user = make_user(role, _health_centre_owning_nothing())
        else:
            user = make_user(role, OrganisationFactory(code=f"empty-{role}", name="記録のない法人"))
        client.force_login(user)
        for route, name, _kwargs in object_url_patterns():
            for object_id in sorted(ids):
                path = _path(route, object_id)
                for method in (client.get, client.post):
                    status = method(path).status_code
                    if status not in REFUSED:
                        leaks.append(f"{role}: {method.__name__.upper()} {path} ({name}) → {status}")
    assert not leaks, "\n".join(leaks)


def test_the_walk_covers_object_urls():
    assert object_url_patterns(), "no object URL found: the walker is broken"
