"""Idle logoff and enforced MFA for staff sessions (the API authenticates by token instead)."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

IDLE_KEY = "last_activity"
MFA_VERIFIED_KEY = "mfa_verified"


class IdleLogoffMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.session_key:
            now = time.time()
            last = request.session.get(IDLE_KEY, now)
            if now - last > settings.CAREDESK_IDLE_TIMEOUT_SECONDS:
                logout(request)
                return redirect(f"{reverse('accounts:login')}?idle=1")
            request.session[IDLE_KEY] = now
        return self.get_response(request)


# Only the pages that complete sign-in are exempt: the rest of /accounts/ (duty status) needs MFA too.
EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/mfa/",
    "/static/",
    "/api/",
    "/widget/",
    "/ws/",
)


class MfaRequiredMiddleware:
    """A session that has not passed MFA only reaches the MFA pages: the verify page when the user is
    enrolled, the enrolment page when the clinic requires MFA and the user has none yet."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        if user.mfa_enabled and not request.session.get(MFA_VERIFIED_KEY):
            return redirect("accounts:mfa_verify")
        if settings.CAREDESK_MFA_REQUIRED and not user.mfa_enabled:
            return redirect("accounts:mfa_enrol")
        return self.get_response(request)
