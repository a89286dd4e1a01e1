import datetime

import pytest
from django.db import connection

from caredesk import encryption
from caredesk.keyrotation import rotate_all
from caredesk.keys import new_encryption_key
from caredesk.patients.actions import add_note, create_patient

pytestmark = pytest.mark.django_db


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_phi_columns_hold_ciphertext_not_plaintext(inbound, cast):
    from caredesk.inbox.models import Message

    patient = create_patient(
        cast["agent"], first_name="Ada", last_name="Lovelace", date_of_birth=datetime.date(1985, 12, 10)
    )
    note = add_note(cast["nurse"], patient, "Prefers afternoon calls; hard of hearing")
    inbound("my insulin pen is broken", provider_message_id="enc-1")
    message = Message.objects.get()

    stored_dob = raw("patients_patient", "date_of_birth", patient.pk)
    stored_note = raw("patients_note", "body", note.pk)
    stored_body = raw("inbox_message", "body", message.pk)
    for stored, plain in ((stored_dob, "1985-12-10"), (stored_note, "hard of hearing"), (stored_body, "insulin")):
        assert stored.startswith("enc1:")
        assert plain not in stored
    assert encryption.decrypt(stored_body, "inbox_message.body") == "my insulin pen is broken"
    assert Message.objects.get().body == "my insulin pen is broken"


def test_ciphertext_moved_to_another_column_does_not_decrypt(cast):
    patient = create_patient(cast["agent"], first_name="Ada", date_of_birth=datetime.date(1985, 12, 10))
    stored_dob = raw("patients_patient", "date_of_birth", patient.pk)

    with pytest.raises(encryption.DecryptionError) as info:
        encryption.decrypt(stored_dob, "patients_note.body")
    assert str(info.value) == "cannot decrypt patients_note.body"


def test_search_by_date_of_birth_uses_the_blind_index(cast, api_as):
    create_patient(cast["agent"], first_name="Ada", date_of_birth=datetime.date(1985, 12, 10))
    create_patient(cast["agent"], first_name="Ben", date_of_birth=datetime.date(1990, 1, 2))

    response = api_as(cast["agent"]).get("/api/v1/patients", dob="1985-12-10")

    assert response.status_code == 200
    assert [p["first_name"] for p in response.json()["items"]] == ["Ada"]


def test_rotation_reencrypts_with_the_new_active_key(cast, settings):
    patient = create_patient(cast["agent"], first_name="Ada", date_of_birth=datetime.date(1985, 12, 10))
    note = add_note(cast["nurse"], patient, "handoff: call back after 3pm")
    old_keys = settings.ENCRYPTION_KEYS
    settings.ENCRYPTION_KEYS = f"{new_encryption_key('k2')},{old_keys}"

    rotated = rotate_all()

    assert rotated >= 2
    assert encryption.key_id_of(raw("patients_note", "body", note.pk)) == "k2"
    assert encryption.key_id_of(raw("patients_patient", "date_of_birth", patient.pk)) == "k2"
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS.split(",")[0]  # the old key is retired
    patient.refresh_from_db()
    assert patient.date_of_birth == datetime.date(1985, 12, 10)
    assert patient.notes.get().body == "handoff: call back after 3pm"
    assert rotate_all() == 0
