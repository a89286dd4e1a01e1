"""Property-based API fuzzing from the OpenAPI spec: whatever a client sends, never a 5xx.

Schemathesis generates the requests from /api/openapi.json; they are sent through Django's test
client so that each example runs inside the test's database transaction.
"""

import json

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings

from caredesk.api import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))


def send(client: Client, case, headers) -> int:
    kwargs = {"headers": {**headers, **(case.headers or {})}, "QUERY_STRING": _query(case.query)}
    if isinstance(case.body, bytes):
        kwargs.update(data=case.body, content_type=case.media_type or "application/octet-stream")
    elif case.body is not None and not isinstance(case.body, schemathesis.core.NotSet):
        kwargs.update(data=json.dumps(case.body), content_type="application/json")
    return client.generic(case.method, case.formatted_path, **kwargs).status_code


def _query(params) -> str:
    from urllib.parse import urlencode

    return urlencode(params or {}, doseq=True)


@pytest.fixture
def supervisor(cast, api_as, inbound):
    inbound("seed conversation so that ids exist", provider_message_id="seed")
    return api_as(cast["supervisor"])


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, supervisor):
    status = send(supervisor.client, case, supervisor.headers)
    assert status < 500, f"{case.method} {case.formatted_path} answered {status}"
