"""The REST API: token auth, error shapes, and the routers of each app. OpenAPI at /api/docs."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer

from caredesk.accounts.actions import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


NUL_ERROR = "Text must not contain NUL (\\u0000) characters."


class RejectNulMiddleware:
    """PostgreSQL cannot store NUL in text: an API request carrying one gets a 422 naming the problem,
    before any handler could turn it into a database error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and self._has_nul(request):
            return JsonResponse({"detail": [{"loc": ["body"], "msg": NUL_ERROR}]}, status=422)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        query = request.META.get("QUERY_STRING", "")
        body = request.body if request.method in ("POST", "PUT", "PATCH") else b""
        return "%00" in query or b"\x00" in body or b"\\u0000" in body.lower()


api = NinjaAPI(
    title="CareDesk API",
    version="1",
    description="Patients, conversations and messages. Authenticate with `Authorization: Bearer <token>`.",
    auth=TokenAuth(),
    docs_url="/docs",
    urls_namespace="api",
)


def field_errors(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [{"loc": ["body", field], "msg": str(msg)} for field, errs in exc.message_dict.items() for msg in errs]
    return [{"loc": ["body"], "msg": msg} for msg in exc.messages]


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return api.create_response(request, {"detail": field_errors(exc)}, status=422)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "You do not have permission to do this."}, status=403)


def _mount() -> None:
    from caredesk.audit.api import router as audit_router
    from caredesk.inbox.api import router as inbox_router
    from caredesk.integrations.api.views import router as inbound_router
    from caredesk.patients.api import router as patients_router

    api.add_router("/v1/patients", patients_router)
    api.add_router("/v1/conversations", inbox_router)
    api.add_router("/v1/messages", inbound_router)
    api.add_router("/v1/audit", audit_router)


_mount()
