"""Prefecture staff keep organisations and users in the app (not the Django admin)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditAction, AuditEvent, Membership, Organisation, OrganisationKind, Role, User
from tests.factories import make_user

NEW_PASSWORD = "kawagoe-Sakura-2025"


def _new_member(**overrides):
    data = {
        "username": "new-coord",
        "last_name": "川越",
        "first_name": "桜",
        "email": "sakura@example.jp",
        "role": Role.COORDINATOR,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return {**data, **overrides}


def test_prefecture_registers_a_contractor(client_for, prefecture_user):
    client = client_for(prefecture_user)
    response = client.post(
        reverse("accounts:organisation_create"),
        {"code": "kawagoe-npo", "name": "NPO法人かわごえ", "kind": OrganisationKind.CONTRACTOR, "runs_outreach": "on"},
        follow=True,
    )
    organisation = Organisation.objects.get(code="kawagoe-npo")
    assert organisation.runs_outreach and not organisation.runs_peer_support
    assert organisation.group.name == "org:kawagoe-npo"
    assert "組織「NPO法人かわごえ」を登録しました。" in response.text
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="accounts.Organisation").exists()


def test_organisation_errors_are_in_japanese_and_keep_the_input(client_for, prefecture_user):
    response = client_for(prefecture_user).post(
        reverse("accounts:organisation_create"),
        {"code": "hc-x", "name": "名前だけの保健所", "kind": OrganisationKind.HEALTH_CENTRE},
    )
    assert response.status_code == 200
    assert "保健所の組織には、対応する保健所を選んでください。" in response.text
    assert 'value="名前だけの保健所"' in response.text
    assert not Organisation.objects.filter(code="hc-x").exists()


def test_code_and_kind_cannot_change_once_registered(client_for, prefecture_user, contractor_a):
    client_for(prefecture_user).post(
        reverse("accounts:organisation_edit", args=[contractor_a.pk]),
        {"code": "renamed", "name": "社会福祉法人Ａ会", "kind": OrganisationKind.PREFECTURE, "require_two_factor": "1"},
    )
    contractor_a.refresh_from_db()
    assert (contractor_a.code, contractor_a.kind) == ("contractor-a", OrganisationKind.CONTRACTOR)
    assert contractor_a.require_two_factor


def test_prefecture_registers_a_coordinator_who_can_then_log_in(client, client_for, prefecture_user, contractor_a):
    response = client_for(prefecture_user).post(
        reverse("accounts:member_create", args=[contractor_a.pk]), _new_member(), follow=True
    )
    assert "利用者「川越 桜」を登録しました。" in response.text
    member = User.objects.get(username="new-coord")
    assert (member.role, member.organisation) == (Role.COORDINATOR, contractor_a)
    assert member.groups.filter(pk=contractor_a.group_id).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(member.pk)).exists()
    client.logout()
    login = client.post(reverse("login"), {"username": "new-coord", "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert client.get(reverse("home")).context["user"] == member


def test_role_must_suit_the_organisation(client_for, prefecture_user, contractor_a):
    contractor_a.runs_peer_support = False
    contractor_a.save()
    response = client_for(prefecture_user).post(
        reverse("accounts:member_create", args=[contractor_a.pk]), _new_member(role=Role.PREFECTURE)
    )
    assert "正しく選択してください" in response.text
    assert not User.objects.filter(username="new-coord").exists()


def test_weak_or_mismatched_passwords_are_refused_and_nothing_is_saved(client_for, prefecture_user, contractor_a):
    client = client_for(prefecture_user)
    weak = client.post(
        reverse("accounts:member_create", args=[contractor_a.pk]), _new_member(password1="short", password2="short")
    )
    assert "このパスワードは短すぎます" in weak.text
    mismatch = client.post(
        reverse("accounts:member_create", args=[contractor_a.pk]), _new_member(password2=NEW_PASSWORD + "x")
    )
    assert "確認用のパスワードが一致しません。" in mismatch.text
    assert 'value="川越"' in mismatch.text
    assert not User.objects.filter(username="new-coord").exists()
    assert not Membership.objects.filter(user__username="new-coord").exists()


def test_deactivating_a_member_is_audited(client_for, prefecture_user, coordinator_a):
    response = client_for(prefecture_user).post(
        reverse("accounts:member_edit", args=[coordinator_a.pk]),
        {"last_name": "試験", "first_name": "次郎", "email": "", "role": Role.COORDINATOR},
        follow=True,
    )
    coordinator_a.refresh_from_db()
    assert not coordinator_a.is_active
    assert coordinator_a.first_name == "次郎"
    assert "の情報を変更しました。" in response.text
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(coordinator_a.pk)).exists()


def test_prefecture_staff_cannot_lock_themselves_out(client_for, prefecture_user):
    response = client_for(prefecture_user).post(
        reverse("accounts:member_edit", args=[prefecture_user.pk]),
        {"last_name": "試験", "first_name": "太郎", "email": "", "role": Role.PREFECTURE},
    )
    assert "自分自身のアカウントは無効にできません。" in response.text
    prefecture_user.refresh_from_db()
    assert prefecture_user.is_active


def test_password_reset_ends_the_members_sessions(client, client_for, prefecture_user, coordinator_a):
    coordinator_client = type(client)()
    coordinator_client.force_login(coordinator_a)
    assert coordinator_client.get(reverse("home")).status_code == 200
    response = client_for(prefecture_user).post(
        reverse("accounts:member_password", args=[coordinator_a.pk]),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "パスワードを再設定しました。" in response.text
    coordinator_a.refresh_from_db()
    assert coordinator_a.check_password(NEW_PASSWORD)
    assert coordinator_client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(detail="パスワード再設定", object_id=str(coordinator_a.pk)).exists()


def test_second_factor_reset_removes_the_members_devices(client_for, prefecture_user, coordinator_a):
    TOTPDevice.objects.create(user=coordinator_a, name="phone", confirmed=True)
    client = client_for(prefecture_user)
    confirm = client.get(reverse("accounts:member_two_factor_reset", args=[coordinator_a.pk]))
    assert "初期化しますか" in confirm.text or "よろしいですか" in confirm.text
    assert TOTPDevice.objects.filter(user=coordinator_a).exists()
    client.post(reverse("accounts:member_two_factor_reset", args=[coordinator_a.pk]))
    assert not TOTPDevice.objects.filter(user=coordinator_a).exists()
    assert AuditEvent.objects.filter(detail="2段階認証の初期化", object_id=str(coordinator_a.pk)).exists()


@pytest.mark.parametrize(
    ("url_name", "target"),
    [
        ("accounts:organisation_create", None),
        ("accounts:organisation_edit", "organisation"),
        ("accounts:member_create", "organisation"),
        ("accounts:member_edit", "member"),
        ("accounts:member_password", "member"),
        ("accounts:member_two_factor_reset", "member"),
    ],
)
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OUTREACH_WORKER, Role.HEALTH_CENTRE])
def test_only_prefecture_staff_manage_the_directory(client_for, contractor_a, contractor_b, url_name, target, role):
    member_b = make_user(Role.COORDINATOR, contractor_b, username="member-b")
    args = {"organisation": [contractor_b.pk], "member": [member_b.pk], None: []}[target]
    user = make_user(role, contractor_a if role != Role.HEALTH_CENTRE else None)
    client = client_for(user)
    assert client.get(reverse(url_name, args=args)).status_code == 403
    assert client.post(reverse(url_name, args=args), _new_member(username="intruder")).status_code == 403
    assert not User.objects.filter(username="intruder").exists()
    member_b.refresh_from_db()
    assert member_b.is_active
