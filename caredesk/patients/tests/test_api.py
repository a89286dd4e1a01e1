import datetime

import pytest

from caredesk.audit.models import AuditEvent
from caredesk.inbox.models import Conversation
from caredesk.patients.models import ContactPoint, Patient

pytestmark = pytest.mark.django_db


def create(client, **fields):
    payload = {"first_name": "Rosa", "last_name": "Diaz", **fields}
    return client.post("/api/v1/patients", payload)


def test_create_normalises_contacts_and_audits(cast, api_as):
    response = create(
        api_as(cast["agent"]),
        date_of_birth="1971-04-02",
        mrn="RFH-1001",
        preferred_language="es",
        contact_points=[
            {"kind": "phone", "value": "(555) 010-4455"},
            {"kind": "email", "value": "Rosa.Diaz@Example.org"},
        ],
    )

    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("first_name", "date_of_birth", "mrn", "preferred_language", "verified")} == {
        "first_name": "Rosa",
        "date_of_birth": "1971-04-02",
        "mrn": "RFH-1001",
        "preferred_language": "es",
        "verified": True,
    }
    assert [(c["kind"], c["value"]) for c in body["contact_points"]] == [
        ("phone", "+15550104455"),
        ("email", "rosa.diaz@example.org"),
    ]
    actions = list(AuditEvent.objects.filter(patient_id=body["id"]).values_list("action", flat=True))
    assert actions == ["contact_point.add", "contact_point.add", "patient.create"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"first_name": ""}, ("first_name", "String should have at least 1 character")),
        ({"date_of_birth": "1971-13-40"}, ("date_of_birth", None)),
        ({"timezone": "Mars/Olympus"}, ("timezone", "Unknown time zone; use an IANA name such as America/New_York.")),
        ({"contact_points": [{"kind": "fax", "value": "1"}]}, ("contact_points", None)),
        (
            {"contact_points": [{"kind": "phone", "value": "12"}]},
            ("value", "Enter a valid phone number, e.g. +1 555 010 0123."),
        ),
    ],
)
def test_bad_patient_input_is_422_naming_the_field(cast, api_as, fields, expected):
    response = create(api_as(cast["agent"]), **fields)

    assert response.status_code == 422
    field, message = expected
    detail = response.json()["detail"]
    assert any(field in entry["loc"] for entry in detail), detail
    if message:
        assert [e["msg"] for e in detail if field in e["loc"]] == [message]
    assert Patient.objects.count() == 0


def test_duplicate_mrn_and_taken_phone_are_refused(cast, api_as):
    client = api_as(cast["agent"])
    create(client, mrn="RFH-1", contact_points=[{"kind": "phone", "value": "+15550100001"}])

    same_mrn = create(client, first_name="Other", mrn="RFH-1")
    same_phone = create(client, first_name="Other", contact_points=[{"kind": "phone", "value": "555-010-0001"}])

    assert same_mrn.json() == {"detail": [{"loc": ["body", "mrn"], "msg": "Another patient already has this MRN."}]}
    assert same_phone.json() == {
        "detail": [
            {"loc": ["body", "value"], "msg": "This phone belongs to another patient; merge the records instead."}
        ]
    }
    assert (same_mrn.status_code, same_phone.status_code, Patient.objects.count()) == (422, 422, 1)


def test_search_by_name_phone_email_mrn_and_dob(cast, api_as):
    client = api_as(cast["agent"])
    create(
        client,
        mrn="RFH-7",
        date_of_birth="1980-05-06",
        contact_points=[
            {"kind": "phone", "value": "+15550107777"},
            {"kind": "email", "value": "rosa@example.org"},
        ],
    )
    create(client, first_name="Ben", last_name="Okafor", date_of_birth="1999-01-01")

    def names(**params):
        response = client.get("/api/v1/patients", **params)
        assert response.status_code == 200
        return [p["first_name"] for p in response.json()["items"]]

    assert names(q="diaz") == ["Rosa"]
    assert names(q="(555) 010-7777") == ["Rosa"]
    assert names(phone="555 010 7777") == ["Rosa"]
    assert names(email="ROSA@example.org") == ["Rosa"]
    assert names(q="rosa@example.org") == ["Rosa"]
    assert names(mrn="RFH-7") == ["Rosa"]
    assert names(q="RFH-7") == ["Rosa"]
    assert names(dob="1999-01-01") == ["Ben"]
    assert names(q="1980-05-06") == ["Rosa"]
    assert names() == ["Rosa", "Ben"]  # ordered by last name: Diaz, Okafor
    assert client.get("/api/v1/patients", dob="01/02/1999").json() == {
        "detail": [{"loc": ["body", "dob"], "msg": "Enter the date of birth as YYYY-MM-DD."}]
    }


def test_reading_a_patient_is_audited(cast, api_as):
    client = api_as(cast["nurse"])
    patient_id = create(api_as(cast["agent"])).json()["id"]

    response = client.get(f"/api/v1/patients/{patient_id}")

    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="patient.view").get()
    assert (event.actor, event.patient_id, event.object_id, event.ip) == (
        cast["nurse"],
        patient_id,
        str(patient_id),
        "127.0.0.1",
    )


def test_merge_moves_contacts_conversations_and_notes(cast, api_as, inbound):
    supervisor = api_as(cast["supervisor"])
    keep_id = create(api_as(cast["agent"]), mrn="RFH-9").json()["id"]
    inbound("is my lab result in?", phone="+15550109999", name="Rosa D")
    duplicate = Patient.objects.exclude(pk=keep_id).get()
    api_as(cast["nurse"]).post(
        f"/api/v1/patients/{duplicate.pk}/notes", {"body": "called about labs", "kind": "handoff"}
    )

    response = supervisor.post(f"/api/v1/patients/{keep_id}/merge", {"duplicate_id": duplicate.pk})

    assert response.status_code == 200
    assert response.json()["moved"] == {
        "contact_points": 1,
        "conversations": 1,
        "notes": 1,
        "consents": 0,
        "caregivers": 0,
    }
    assert list(ContactPoint.objects.values_list("patient_id", flat=True)) == [keep_id]
    assert Conversation.objects.get().patient_id == keep_id
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == keep_id
    assert supervisor.get(f"/api/v1/patients/{duplicate.pk}").status_code == 404
    assert AuditEvent.objects.filter(action="patient.merge", patient_id=keep_id).count() == 1
    again = supervisor.post(f"/api/v1/patients/{keep_id}/merge", {"duplicate_id": keep_id})
    assert again.json() == {
        "detail": [{"loc": ["body", "duplicate_id"], "msg": "A patient cannot be merged into itself."}]
    }


def test_patch_updates_only_given_fields_and_delete_refuses_with_conversations(cast, api_as, inbound):
    agent = api_as(cast["agent"])
    patient_id = create(agent, date_of_birth="1971-04-02").json()["id"]

    patched = agent.patch(f"/api/v1/patients/{patient_id}", {"last_name": "Díaz-Ruiz"})

    assert patched.status_code == 200
    assert (patched.json()["last_name"], patched.json()["date_of_birth"]) == ("Díaz-Ruiz", "1971-04-02")
    assert Patient.objects.get().date_of_birth == datetime.date(1971, 4, 2)
    inbound("hi", phone="+15550101234")
    other = Patient.objects.exclude(pk=patient_id).get()
    refused = api_as(cast["supervisor"]).delete(f"/api/v1/patients/{other.pk}")
    assert refused.status_code == 422
    assert api_as(cast["supervisor"]).delete(f"/api/v1/patients/{patient_id}").status_code == 204


def test_unknown_ids_and_malformed_json_are_4xx(cast, api_as):
    client = api_as(cast["agent"])

    assert client.get("/api/v1/patients/999999").status_code == 404
    assert client.get("/api/v1/conversations/999999").status_code == 404
    bad = client.client.post(
        "/api/v1/patients", data="{not json", content_type="application/json", headers=client.headers
    )
    assert bad.status_code in (400, 422)


def test_preference_round_trip_and_half_quiet_hours_refused(cast, api_as):
    agent = api_as(cast["agent"])
    patient_id = create(agent).json()["id"]

    empty = agent.get(f"/api/v1/patients/{patient_id}/preference")
    saved = agent.client.put(
        f"/api/v1/patients/{patient_id}/preference",
        data='{"preferred_channel": "sms", "quiet_hours_start": "21:00", "quiet_hours_end": "08:00"}',
        content_type="application/json",
        headers=agent.headers,
    )
    half = agent.client.put(
        f"/api/v1/patients/{patient_id}/preference",
        data='{"quiet_hours_start": "21:00"}',
        content_type="application/json",
        headers=agent.headers,
    )

    assert empty.json() == {"preferred_channel": "", "quiet_hours_start": None, "quiet_hours_end": None}
    assert saved.json() == {"preferred_channel": "sms", "quiet_hours_start": "21:00:00", "quiet_hours_end": "08:00:00"}
    assert half.status_code == 422
    assert "Give both quiet_hours_start and quiet_hours_end, or neither." in half.json()["detail"][0]["msg"]


def test_nul_characters_are_refused_in_body_and_query(cast, api_as):
    client = api_as(cast["agent"])

    body = create(client, first_name="Ro\u0000sa")
    query = client.get("/api/v1/patients", q="a\u0000b")

    expected = {"detail": [{"loc": ["body"], "msg": "Text must not contain NUL (\\u0000) characters."}]}
    assert (body.status_code, body.json()) == (422, expected)
    assert (query.status_code, query.json()) == (422, expected)
    assert Patient.objects.count() == 0
