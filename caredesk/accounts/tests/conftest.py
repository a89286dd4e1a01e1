"""Helpers for the accounts tests: sign-in through the real login form, and settings pinned so a
developer's environment (CAREDESK_MFA_REQUIRED=1, a short idle timeout) cannot change the results."""

import pytest

from caredesk.conftest import PASSWORD


@pytest.fixture(autouse=True)
def account_policy(settings):
    settings.CAREDESK_MFA_REQUIRED = False
    settings.CAREDESK_IDLE_TIMEOUT_SECONDS = 900
    settings.CAREDESK_LOCKOUT_THRESHOLD = 5
    settings.CAREDESK_LOCKOUT_SECONDS = 900
    return settings


@pytest.fixture
def sign_in(client):
    """Post the login form as `username`; returns the response."""

    def post(username, password=PASSWORD):
        return client.post("/accounts/login/", {"username": username, "password": password})

    return post


@pytest.fixture
def audit_trail(db):
    """The audit actions recorded about one user, oldest first."""
    from caredesk.audit.models import AuditEvent

    def actions(user, prefix=""):
        rows = AuditEvent.objects.filter(object_type="user", object_id=str(user.pk), action__startswith=prefix)
        return list(rows.order_by("seq").values_list("action", flat=True))

    return actions
