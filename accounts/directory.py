"""Prefecture staff keep the directory of organisations and their users: every write is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.audit import audit
from accounts.models import ROLE_ORGANISATION_KIND, AuditAction, Membership, Organisation, Role, User
from accounts.two_factor import remove_second_factor


def roles_for(organisation: Organisation) -> list[tuple[str, str]]:
    """The roles a member of this organisation may hold (a contractor's by the programs it runs)."""
    roles = [(role.value, role.label) for role, kind in ROLE_ORGANISATION_KIND.items() if kind == organisation.kind]
    if organisation.is_contractor:
        allowed = {Role.COORDINATOR: organisation.runs_peer_support, Role.OUTREACH_WORKER: organisation.runs_outreach}
        roles = [(value, label) for value, label in roles if allowed.get(value, True)]
    return roles


@transaction.atomic
def save_organisation(organisation: Organisation, *, by) -> Organisation:
    is_new = organisation.pk is None
    organisation.full_clean(exclude=["group"])
    organisation.save()
    audit(by, AuditAction.CREATE if is_new else AuditAction.UPDATE, organisation, detail="組織情報")
    return organisation


@transaction.atomic
def create_member(user: User, *, organisation: Organisation, role: str, password: str, by) -> User:
    """A new account and its one membership, saved together or not at all."""
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    detail = f"利用者登録（{membership.get_role_display()}）"
    audit(by, AuditAction.CREATE, user, organisation=organisation, detail=detail)
    return user


@transaction.atomic
def update_member(user: User, *, role: str, by) -> User:
    if user.pk == by.pk and not user.is_active:
        raise ValidationError({"is_active": "自分自身のアカウントは無効にできません。"})
    membership = user.membership
    if user.pk == by.pk and role != membership.role:
        raise ValidationError({"role": "自分自身の役割は変更できません。"})
    user.full_clean(exclude=["password"])
    user.save()
    membership.role = role
    membership.full_clean()
    membership.save()
    audit(by, AuditAction.UPDATE, user, organisation=membership.organisation, detail="利用者情報")
    return user


@transaction.atomic
def set_temporary_password(user: User, password: str, *, by) -> None:
    """Changing the password also ends every session the user has open (Django's session hash)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(by, AuditAction.UPDATE, user, organisation=user.organisation, detail="パスワード再設定")


@transaction.atomic
def reset_second_factor(user: User, *, by) -> None:
    """For a member who lost their phone: they enrol again at their next log-in."""
    remove_second_factor(user)
    audit(by, AuditAction.UPDATE, user, organisation=user.organisation, detail="2段階認証の初期化")
