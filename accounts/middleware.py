from accounts.audit import RequestContext, current_request


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
