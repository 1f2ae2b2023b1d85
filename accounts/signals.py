from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.audit import audit
from accounts.models import AuditAction
from accounts.two_factor import SESSION_NO_SECOND_FACTOR, has_second_factor


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    audit(user, AuditAction.LOGIN, organisation=user.organisation)
    if request is not None and hasattr(request, "session"):
        # Decided once per log-in so that requests of users without a second factor cost no query.
        request.session[SESSION_NO_SECOND_FACTOR] = not user.two_factor_required and not has_second_factor(user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit(user, AuditAction.LOGOUT, organisation=user.organisation)


@receiver(user_login_failed)
def audit_login_failure(sender, credentials, request=None, **kwargs) -> None:
    # Only the username is kept: never the password that was typed.
    audit(None, AuditAction.LOGIN_FAILED, username=str(credentials.get("username", ""))[:150])
