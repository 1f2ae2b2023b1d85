import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

PROJECT = Path(__file__).resolve().parents[2]


def test_deploy_checks_pass_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {"DJANGO_SECRET_KEY": "p" * 30 + "-Xk8#vL2$qR9&wT4*zN7@mB5!", "DJANGO_ALLOWED_HOSTS": "programs.example.jp"}
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_read_only_commands_run_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True
        )

    migrations = manage("makemigrations", "--check", "--dry-run")
    assert migrations.returncode == 0, migrations.stdout + migrations.stderr
    refused = manage("check")
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in refused.stderr


def test_strict_content_security_policy_header(client, db):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_have_no_inline_scripts(client_for, coordinator_a):
    response = client_for(coordinator_a).get(reverse("home"))
    assert "<script>" not in response.text
    assert " onclick=" not in response.text


def test_session_expires_after_idle_timeout_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # the age counts from the last request


def test_expired_session_is_sent_to_login(client_for, coordinator_a):
    client = client_for(coordinator_a)
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_change_logs_out_other_sessions(client_for, coordinator_a):
    other_device = Client()
    other_device.force_login(coordinator_a)
    assert other_device.get(reverse("home")).status_code == 200
    client = client_for(coordinator_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-much-Longer-passphrase-2025",
            "new_password2": "a-much-Longer-passphrase-2025",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200  # this session stays signed in
    assert other_device.get(reverse("home")).status_code == 302  # the other one is signed out


def test_weak_password_is_refused_in_japanese(client_for, coordinator_a):
    response = client_for(coordinator_a).post(
        reverse("password_change"),
        {"old_password": "correct-horse-battery", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "このパスワードは短すぎます" in response.text


def test_argon2_is_the_production_hasher():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "config.settings"})
    code = "import django; django.setup(); from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher", result.stderr


def _database_options(**environment) -> str:
    """OPTIONS of the default database as the settings build them from this environment (a fresh process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update({"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "config.settings", **environment})
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options', '-'))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgres_connections_model_random_reads_as_on_ssds_and_keep_the_urls_options():
    url = "postgres://u@db.example.jp:5432/programs"
    assert _database_options(DATABASE_URL=url) == "-c random_page_cost=1.1"
    with_timeout = f"{url}?options=-c%20statement_timeout%3D5000"
    assert _database_options(DATABASE_URL=with_timeout) == "-c statement_timeout=5000 -c random_page_cost=1.1"
    assert _database_options(DATABASE_URL=url, DATABASE_RANDOM_PAGE_COST="") == "-"
    assert _database_options(DATABASE_URL="sqlite:///x.sqlite3") == "-"


def test_a_random_page_cost_that_is_not_a_number_stops_the_process():
    from config.settings import postgres_options

    with pytest.raises(ImproperlyConfigured, match="DATABASE_RANDOM_PAGE_COST"):
        postgres_options("", "1.1 -c work_mem=1GB")
    assert postgres_options("-c search_path=app", "2") == "-c search_path=app -c random_page_cost=2"
