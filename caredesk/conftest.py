"""The named cast for tests: a team layout, one staff member per role, and API clients for each.

Tests go through the HTTP boundary: `api_as(user)` returns a Django test client that sends that
user's bearer token.
"""

import json

import pytest
from django.test import Client

from caredesk.accounts.actions import create_api_token
from caredesk.accounts.models import Role, Team, User

pytest_plugins = ["caredesk.testing.live"]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def teams(db):
    return {
        "front-desk": Team.objects.create(name="Front desk", slug="front-desk", takes_routine=True),
        "nursing": Team.objects.create(name="Nursing", slug="nursing", takes_urgent=True),
        "billing": Team.objects.create(name="Billing", slug="billing"),
    }


def make_user(username, role, teams=(), **extra):
    user = User.objects.create_user(username, password=PASSWORD, role=role, first_name=username.title(), **extra)
    user.teams.set(teams)
    return user


@pytest.fixture
def cast(teams):
    """admin, supervisor, agent (front desk), nurse (nursing), billing (billing team), provider
    (nursing), auditor, integration (service account), outsider (agent in no team)."""
    return {
        "admin": make_user("admin", Role.ADMIN),
        "supervisor": make_user("supervisor", Role.SUPERVISOR),
        "agent": make_user("agent", Role.AGENT, [teams["front-desk"]]),
        "nurse": make_user("nurse", Role.NURSE, [teams["nursing"]], is_on_duty=True),
        "billing": make_user("billing", Role.BILLING, [teams["billing"]]),
        "provider": make_user("provider", Role.PROVIDER, [teams["nursing"]]),
        "auditor": make_user("auditor", Role.AUDITOR),
        "integration": make_user("integration", Role.INTEGRATION),
        "outsider": make_user("outsider", Role.AGENT),
    }


class ApiClient:
    def __init__(self, token: str):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def _send(self, method, path, body=None, **params):
        kwargs = {"headers": self.headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        elif params:
            kwargs["data"] = params
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path, **params):
        return self._send("get", path, **params)

    def post(self, path, body=None):
        return self._send("post", path, body if body is not None else {})

    def patch(self, path, body):
        return self._send("patch", path, body)

    def delete(self, path):
        return self._send("delete", path)


@pytest.fixture
def api_as(db):
    def make(user) -> ApiClient:
        _token, secret = create_api_token(None, user, f"test token for {user.username}")
        return ApiClient(secret)

    return make


@pytest.fixture
def inbound(cast, api_as):
    """Post an inbound patient message through the REST API channel as the integration."""
    client = api_as(cast["integration"])

    def post(body, phone="+15550100001", provider_message_id="", name="Pat Example", **sender):
        sender = {"phone": phone, "name": name, **sender}
        payload = {"sender": sender, "body": body, "provider_message_id": provider_message_id}
        return client.post("/api/v1/messages/inbound", payload)

    return post


def pytest_configure(config):
    _let_flush_clear_the_audit_log_on_sqlite()


def _let_flush_clear_the_audit_log_on_sqlite():
    """Transactional tests end with `flush`, which on SQLite is DELETE (PostgreSQL truncates, which
    row triggers do not see). Lift the append-only triggers for exactly that statement list."""
    import importlib

    from django.db.backends.sqlite3.base import DatabaseOperations

    migration = importlib.import_module("caredesk.audit.migrations.0002_chain_head_and_append_only")
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if "audit_auditevent" not in tables:
            return statements
        drops = [sql.replace("DROP TRIGGER", "DROP TRIGGER IF EXISTS") for sql in migration.SQLITE_DROP]
        return [*drops, *statements, *migration.SQLITE_TRIGGERS]

    DatabaseOperations.sql_flush = sql_flush
