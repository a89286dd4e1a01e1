import importlib
import subprocess
import sys

import pytest
from django.db import connection

from caredesk.audit.actions import record
from caredesk.audit.chain import verify
from caredesk.audit.models import AuditEvent

append_only = importlib.import_module("caredesk.audit.migrations.0002_chain_head_and_append_only")
SQLITE_DROP, SQLITE_TRIGGERS = append_only.SQLITE_DROP, append_only.SQLITE_TRIGGERS

pytestmark = pytest.mark.django_db


def _without_append_only_triggers(sql: str, params=()) -> None:
    """What someone with DDL rights could do: drop the triggers, then edit the log."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # superuser: row triggers off
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = origin")
        else:
            for drop in SQLITE_DROP:
                cursor.execute(drop)
            cursor.execute(sql, params)
            for create in SQLITE_TRIGGERS:
                cursor.execute(create)


@pytest.fixture
def three_events(cast):
    return [record(cast["nurse"], "patient.view", object_type="patient", object_id=i, patient_id=i) for i in (1, 2, 3)]


def test_intact_chain_verifies(three_events):
    assert verify().ok is True
    assert verify().checked == 3
    assert [e.seq for e in AuditEvent.objects.all()] == [1, 2, 3]
    assert AuditEvent.objects.get(seq=2).prev_hash == AuditEvent.objects.get(seq=1).hash


def test_update_and_delete_are_refused_by_the_database(three_events):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).update(action="patient.edit")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=3).delete()


def test_edited_row_is_detected(three_events):
    _without_append_only_triggers("UPDATE audit_auditevent SET patient_id = 99 WHERE seq = 2")

    result = verify()
    assert (result.ok, result.checked, result.problem) == (False, 1, f"row seq 2 (id {three_events[1].pk}) was altered")


def test_deleted_middle_row_is_detected(three_events):
    _without_append_only_triggers("DELETE FROM audit_auditevent WHERE seq = 2")

    result = verify()
    assert (result.ok, result.problem) == (False, "row seq 2 is missing (next is 3)")


def test_deleted_last_row_is_detected(three_events):
    _without_append_only_triggers("DELETE FROM audit_auditevent WHERE seq = 3")

    result = verify()
    assert (result.ok, result.problem) == (False, "log ends at seq 2 but the head records seq 3")


def _url_of_test_database() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_cli_verify_exits_nonzero_with_one_line_reason(cast, settings):
    import os

    record(cast["nurse"], "patient.view", object_type="patient", object_id=1, patient_id=1)
    env = {**os.environ, "CAREDESK_TESTING": "1", "CAREDESK_DATA_DIR": str(settings.DATA_DIR)}
    env["DATABASE_URL"] = _url_of_test_database()
    ok = subprocess.run(
        [sys.executable, "-m", "caredesk.cli", "audit", "verify"], env=env, capture_output=True, text=True
    )
    assert (ok.returncode, ok.stdout.strip()) == (0, "audit log intact: 1 rows verified")

    _without_append_only_triggers("UPDATE audit_auditevent SET action = 'x' WHERE seq = 1")
    bad = subprocess.run(
        [sys.executable, "-m", "caredesk.cli", "audit", "verify"], env=env, capture_output=True, text=True
    )
    event_id = AuditEvent.objects.get().pk
    assert (bad.returncode, bad.stderr.strip()) == (
        2,
        f"caredesk: audit log tampered: row seq 1 (id {event_id}) was altered",
    )
