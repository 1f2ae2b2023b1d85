from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.audit import RequestContext, audit, current_request
from accounts.models import AuditAction
from accounts.two_factor import SESSION_NO_SECOND_FACTOR, has_second_factor


class AuditContextMiddleware:
    """Make the client IP and path available to `audit()` without passing the request around.

    REMOTE_ADDR is what the reverse proxy connected from unless the proxy is trusted to set it
    (see README, production): a client-supplied X-Forwarded-For is never believed here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(RequestContext(request.META.get("REMOTE_ADDR"), request.get_full_path()))
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)

    def process_exception(self, request, exception):
        """Every refusal (403) is in the audit log, also where a view raised it without writing it."""
        context = current_request.get()
        if isinstance(exception, PermissionDenied) and context is not None and not context.refusal_audited:
            audit(getattr(request, "user", None), AuditAction.PERMISSION_DENIED, detail=str(exception)[:200])
        return None


class TwoFactorMiddleware:
    """After the password, ask for the second factor: verify it, or enrol when it is required.

    Whether a signed-in user has no second factor at all is decided once at log-in (accounts.signals)
    and kept in the session, so ordinary requests of such users cost no extra query.
    """

    EXEMPT_PREFIXES = ("/two-factor/", "/logout/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and not request.session.get(SESSION_NO_SECOND_FACTOR)
            and not user.is_verified()
        ):
            target = "two_factor_verify" if has_second_factor(user) else None
            if target is None and user.two_factor_required:
                target = "two_factor_setup"
            if target:
                return redirect_to_login(request.get_full_path(), reverse(target), "next")
        return self.get_response(request)
