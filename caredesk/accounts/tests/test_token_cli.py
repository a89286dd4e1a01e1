import pytest

from caredesk.accounts.actions import create_api_token
from caredesk.audit.models import AuditEvent
from caredesk.cli import main

pytestmark = pytest.mark.django_db


def test_revoked_token_is_refused_and_audited(cast, capsys):
    token, secret = create_api_token(None, cast["integration"], "ehr sync")
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get("/api/v1/patients").status_code == 200

    main(["token", "revoke", secret[:12]])

    assert capsys.readouterr().out == f"revoked token {secret[:12]}\n"
    assert client.get("/api/v1/patients").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1


def test_revoking_an_unknown_prefix_exits_2_with_a_reason(cast, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["token", "revoke", "cdk_nothing"])

    assert exit_info.value.code == 2
    assert capsys.readouterr().err == "caredesk: no live token starts with 'cdk_nothing'\n"
