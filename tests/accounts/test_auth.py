import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import AuditAction, AuditEvent, Role
from tests.factories import make_user

PUBLIC_URL_NAMES = {"login", "healthz"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _concrete_path(route: str) -> str:
    import re

    path = re.sub(r"<(?:int:)?[^>]+>", "1", route.replace("^", "").replace("$", ""))
    return "/" + path.replace("\\", "")


def test_login_page_is_japanese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="ja">' in response.text
    assert "ログイン" in response.text


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login_from_every_url(client):
    checked = 0
    for route, pattern in _walk(get_resolver().url_patterns):
        if pattern.name in PUBLIC_URL_NAMES or route.startswith("admin/"):
            continue
        response = client.get(_concrete_path(route))
        assert response.status_code == 302, route
        assert response.url.startswith(reverse("login")), route
        checked += 1
    assert checked >= 5


def test_admin_requires_login(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_login_through_the_form_is_audited(client, db):
    user = make_user(Role.COORDINATOR, username="coord")
    response = client.post(reverse("login"), {"username": "coord", "password": "correct-horse-battery"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.user == user
    assert event.organisation == user.organisation
    assert event.ip_address == "127.0.0.1"


def test_failed_login_is_audited_without_the_password(client, db):
    make_user(Role.COORDINATOR, username="coord")
    response = client.post(reverse("login"), {"username": "coord", "password": "wrong-password"})
    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in response.text
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.username == "coord"
    assert "wrong-password" not in event.detail


def test_logout_needs_post_and_ends_the_session(client_for, coordinator_a):
    client = client_for(coordinator_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_page_is_available_to_users(client_for, coordinator_a):
    response = client_for(coordinator_a).get(reverse("password_change"))
    assert response.status_code == 200
    assert "新しいパスワード" in response.text


def test_healthz_reports_database_ok(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
