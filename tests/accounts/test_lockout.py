from django.urls import reverse

from accounts.models import AuditAction, AuditEvent


def _fail(client, username, times):
    for _ in range(times):
        response = client.post(reverse("login"), {"username": username, "password": "wrong-password"})
    return response


def test_five_failures_lock_the_account_with_a_japanese_message(client, coordinator_a):
    _fail(client, "coord-a", 4)
    response = _fail(client, "coord-a", 1)
    assert response.status_code == 429
    assert "ログインを一時的に制限しています" in response.text
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "coord-a", "password": "correct-horse-battery"})
    assert response.status_code == 429


def test_prefecture_staff_can_unlock(client, client_for, coordinator_a, prefecture_user):
    from django.test import Client

    _fail(client, "coord-a", 5)
    staff = client_for(prefecture_user)
    page = staff.get(reverse("accounts:lockout_list"))
    assert "coord-a" in page.text
    response = staff.post(reverse("accounts:lockout_list"), {"username": "coord-a"}, follow=True)
    assert "ログイン制限を解除しました" in response.text
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id="coord-a").exists()
    fresh = Client()
    response = fresh.post(reverse("login"), {"username": "coord-a", "password": "correct-horse-battery"})
    assert response.status_code == 302
