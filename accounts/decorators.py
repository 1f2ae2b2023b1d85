from functools import wraps

from django.core.exceptions import PermissionDenied

from accounts.audit import audit
from accounts.models import AuditAction


def role_required(*roles: str):
    """Function-view counterpart of RoleRequiredMixin: 403 (audited) for other roles."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles:
                audit(request.user, AuditAction.PERMISSION_DENIED, detail=f"role {request.user.role}")
                raise PermissionDenied("この画面を利用する権限がありません。")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
