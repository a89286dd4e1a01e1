"""Who may do what, checked through the API for every role in the cast.

The expected statuses are written out here by hand, not derived from MATRIX, so that a wrong entry in
MATRIX or a missing check in an endpoint both fail a test. docs/permissions.md is checked against MATRIX.
"""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from caredesk.accounts.models import ApiToken, Role, User
from caredesk.accounts.permissions import CONVERSATION_SCOPE_ALL, MATRIX
from caredesk.audit.models import AuditEvent
from caredesk.inbox.models import Conversation, Message
from caredesk.patients import actions as patient_actions
from caredesk.patients.models import Caregiver, Consent, ContactPoint, Note, Patient, Preference

pytestmark = pytest.mark.django_db

ROLES = ("admin", "supervisor", "agent", "nurse", "billing", "provider", "auditor", "integration", "outsider")

ROUTINE_TEXT = "Can I move my appointment to Friday?"
EMERGENCY_TEXT = "I have severe chest pain and my left arm is numb"


@dataclass(frozen=True)
class World:
    """Ids of the records every request below acts on."""

    patient: int
    duplicate: int
    handoff_note: int
    clinical_note: int
    front_desk: int
    nursing: int


@pytest.fixture
def world(cast, inbound, teams) -> World:
    front_desk = inbound(ROUTINE_TEXT, phone="+15550100001").json()["conversation_id"]
    nursing = inbound(EMERGENCY_TEXT, phone="+15550100002").json()["conversation_id"]
    assert Conversation.objects.get(pk=front_desk).team == teams["front-desk"]
    assert Conversation.objects.get(pk=nursing).team == teams["nursing"]
    admin, nurse = cast["admin"], cast["nurse"]
    patient = patient_actions.create_patient(
        admin,
        first_name="Rosa",
        last_name="Diaz",
        date_of_birth=datetime.date(1980, 5, 1),
        mrn="MRN-100",
        contact_points=[("phone", "+15550100003")],
    )
    duplicate = patient_actions.create_patient(admin, first_name="Rosa", last_name="Dias")
    handoff = patient_actions.add_note(nurse, patient, "Prefers calls before 10am.", Note.Kind.HANDOFF)
    clinical = patient_actions.add_note(nurse, patient, "BP 150/95; recheck in one week.", Note.Kind.CLINICAL)
    return World(patient.pk, duplicate.pk, handoff.pk, clinical.pk, front_desk, nursing)


def put(api, path, body):
    # The shared ApiClient has no put(); send it the same way, with the same token.
    return api.client.put(path, data=json.dumps(body), content_type="application/json", headers=api.headers)


P = "/api/v1/patients"
C = "/api/v1/conversations"

HANDOFF_NOTE = {"body": "Left a voicemail.", "kind": "handoff"}
CLINICAL_NOTE = {"body": "BP 128/82.", "kind": "clinical"}
EMAIL = {"kind": "email", "value": "rosa@example.org"}
CONSENT = {"channel": "sms", "status": "granted", "source": "front desk form", "wording": "You may text me."}
CAREGIVER = {"name": "Luis Diaz", "relationship": "son", "phone": "+15550100009", "scope": "scheduling"}
INBOUND = {"sender": {"phone": "+15550100004", "name": "Sam Lee"}, "body": "What time do you open?"}

# One request per endpoint, and per conversation team where the scope decides the answer.
REQUESTS = {
    "list patients": lambda api, w: api.get(P),
    "create patient": lambda api, w: api.post(P, {"first_name": "Ana", "last_name": "Lopez"}),
    "get patient": lambda api, w: api.get(f"{P}/{w.patient}"),
    "edit patient": lambda api, w: api.patch(f"{P}/{w.patient}", {"preferred_language": "es"}),
    "delete patient": lambda api, w: api.delete(f"{P}/{w.patient}"),
    "merge patient": lambda api, w: api.post(f"{P}/{w.patient}/merge", {"duplicate_id": w.duplicate}),
    "list notes": lambda api, w: api.get(f"{P}/{w.patient}/notes"),
    "add handoff note": lambda api, w: api.post(f"{P}/{w.patient}/notes", HANDOFF_NOTE),
    "add clinical note": lambda api, w: api.post(f"{P}/{w.patient}/notes", CLINICAL_NOTE),
    "add contact point": lambda api, w: api.post(f"{P}/{w.patient}/contact-points", EMAIL),
    "list consents": lambda api, w: api.get(f"{P}/{w.patient}/consents"),
    "record consent": lambda api, w: api.post(f"{P}/{w.patient}/consents", CONSENT),
    "list caregivers": lambda api, w: api.get(f"{P}/{w.patient}/caregivers"),
    "add caregiver": lambda api, w: api.post(f"{P}/{w.patient}/caregivers", CAREGIVER),
    "get preference": lambda api, w: api.get(f"{P}/{w.patient}/preference"),
    "set preference": lambda api, w: put(api, f"{P}/{w.patient}/preference", {"preferred_channel": "sms"}),
    "list conversations": lambda api, w: api.get(C),
    "get front-desk conversation": lambda api, w: api.get(f"{C}/{w.front_desk}"),
    "get nursing conversation": lambda api, w: api.get(f"{C}/{w.nursing}"),
    "reply front-desk": lambda api, w: api.post(f"{C}/{w.front_desk}/replies", {"body": "Friday at 10 works."}),
    "reply nursing": lambda api, w: api.post(f"{C}/{w.nursing}/replies", {"body": "A nurse is calling you now."}),
    "note front-desk": lambda api, w: api.post(f"{C}/{w.front_desk}/notes", {"body": "Checked the schedule."}),
    "note nursing": lambda api, w: api.post(f"{C}/{w.nursing}/notes", {"body": "Called 911 with the patient."}),
    "inbound message": lambda api, w: api.post("/api/v1/messages/inbound", INBOUND),
    "audit log": lambda api, w: api.get("/api/v1/audit"),
}

# fmt: off
EXPECTED = {
    #                              admin super agent nurse bill prov audit integ outsider
    "list patients":               (200, 200,  200,  200,  200, 200, 403,  200,  200),
    "create patient":              (201, 201,  201,  201,  403, 403, 403,  201,  201),
    "get patient":                 (200, 200,  200,  200,  200, 200, 404,  200,  200),
    "edit patient":                (200, 200,  200,  200,  404, 404, 404,  200,  200),
    "delete patient":              (204, 204,  404,  404,  404, 404, 404,  404,  404),
    "merge patient":               (200, 200,  404,  404,  404, 404, 404,  404,  404),
    "list notes":                  (200, 200,  200,  200,  200, 200, 404,  403,  200),
    "add handoff note":            (201, 201,  201,  201,  201, 201, 404,  403,  201),
    "add clinical note":           (201, 201,  403,  201,  403, 201, 404,  403,  403),
    "add contact point":           (201, 201,  201,  201,  404, 404, 404,  201,  201),
    "list consents":               (200, 200,  200,  200,  200, 200, 404,  200,  200),
    "record consent":              (201, 201,  201,  201,  404, 404, 404,  201,  201),
    "list caregivers":             (200, 200,  200,  200,  200, 200, 404,  200,  200),
    "add caregiver":               (201, 201,  201,  201,  404, 404, 404,  201,  201),
    "get preference":              (200, 200,  200,  200,  200, 200, 404,  200,  200),
    "set preference":              (200, 200,  200,  200,  404, 404, 404,  200,  200),
    "list conversations":          (200, 200,  200,  200,  200, 200, 403,  403,  200),
    "get front-desk conversation": (200, 200,  200,  404,  404, 404, 404,  404,  404),
    "get nursing conversation":    (200, 200,  404,  200,  404, 200, 404,  404,  404),
    "reply front-desk":            (201, 201,  201,  404,  404, 404, 404,  404,  404),
    "reply nursing":               (201, 201,  404,  201,  404, 201, 404,  404,  404),
    "note front-desk":             (201, 201,  201,  404,  404, 404, 404,  404,  404),
    "note nursing":                (201, 201,  404,  201,  404, 201, 404,  404,  404),
    "inbound message":             (202, 403,  403,  403,  403, 403, 403,  202,  403),
    "audit log":                   (200, 403,  403,  403,  403, 403, 200,  403,  403),
}
# fmt: on

# The notes each role gets from the notes list, newest first: clinical notes only for clinical roles.
NOTES_SEEN = {
    "admin": ("clinical", "handoff"),
    "supervisor": ("clinical", "handoff"),
    "agent": ("handoff",),
    "nurse": ("clinical", "handoff"),
    "billing": ("handoff",),
    "provider": ("clinical", "handoff"),
    "outsider": ("handoff",),
}

# Conversations each role's inbox lists, most pressing first (the nursing one is an emergency).
CONVERSATIONS_SEEN = {
    "admin": ("nursing", "front_desk"),
    "supervisor": ("nursing", "front_desk"),
    "agent": ("front_desk",),
    "nurse": ("nursing",),
    "billing": (),
    "provider": ("nursing",),
    "outsider": (),
}

REFUSAL_BODIES = {
    401: {"detail": "Unauthorized"},
    403: {"detail": "Your role does not allow this."},
    404: {"detail": "Not found."},
}

CASES = [(endpoint, role, EXPECTED[endpoint][i]) for endpoint in REQUESTS for i, role in enumerate(ROLES)]


def state() -> dict:
    """What any request above could change, to tell a refused request from a half-done one."""
    patient_fields = ("pk", "first_name", "last_name", "mrn", "preferred_language", "merged_into_id")
    return {
        "patients": list(Patient.objects.order_by("pk").values_list(*patient_fields)),
        "notes": list(Note.objects.order_by("pk").values_list("pk", "kind")),
        "contact points": list(ContactPoint.objects.order_by("pk").values_list("pk", "patient_id")),
        "consents": Consent.objects.count(),
        "caregivers": Caregiver.objects.count(),
        "preferences": list(Preference.objects.values_list("patient_id", "preferred_channel")),
        "messages": list(Message.objects.order_by("pk").values_list("pk", "conversation_id")),
    }


def test_every_endpoint_and_role_has_an_expectation():
    assert set(EXPECTED) == set(REQUESTS)
    assert {len(row) for row in EXPECTED.values()} == {len(ROLES)}


@pytest.mark.parametrize(("endpoint", "role", "status"), CASES, ids=[f"{e}-{r}" for e, r, _ in CASES])
def test_role_gets_the_expected_status(cast, api_as, world, endpoint, role, status):
    api = api_as(cast[role])
    before = state()

    response = REQUESTS[endpoint](api, world)

    assert response.status_code == status, response.content
    if status in REFUSAL_BODIES:
        assert response.json() == REFUSAL_BODIES[status]
        assert state() == before
    elif response.request["REQUEST_METHOD"] != "GET":
        assert state() != before


@pytest.mark.parametrize("role", sorted(NOTES_SEEN))
def test_notes_list_shows_clinical_notes_only_to_clinical_roles(cast, api_as, world, role):
    ids = {"handoff": world.handoff_note, "clinical": world.clinical_note}

    response = api_as(cast[role]).get(f"{P}/{world.patient}/notes")

    assert response.status_code == 200
    assert [note["id"] for note in response.json()] == [ids[kind] for kind in NOTES_SEEN[role]]
    assert [note["kind"] for note in response.json()] == list(NOTES_SEEN[role])


@pytest.mark.parametrize("role", sorted(CONVERSATIONS_SEEN))
def test_conversation_list_is_scoped_to_the_roles_teams(cast, api_as, world, role):
    ids = {"front_desk": world.front_desk, "nursing": world.nursing}

    response = api_as(cast[role]).get(C)

    assert response.status_code == 200
    expected = [ids[name] for name in CONVERSATIONS_SEEN[role]]
    assert [c["id"] for c in response.json()["items"]] == expected
    assert response.json()["count"] == len(expected)


def test_conversation_assigned_to_an_outsider_becomes_visible_to_them(cast, api_as, world):
    Conversation.objects.filter(pk=world.nursing).update(assignee=cast["outsider"])
    api = api_as(cast["outsider"])

    assert api.get(f"{C}/{world.nursing}").status_code == 200
    assert [c["id"] for c in api.get(C).json()["items"]] == [world.nursing]
    assert api.get(f"{C}/{world.front_desk}").status_code == 404


def test_billing_sees_conversations_routed_to_the_billing_team(cast, api_as, world, teams):
    Conversation.objects.filter(pk=world.front_desk).update(team=teams["billing"])

    billing, agent = api_as(cast["billing"]), api_as(cast["agent"])

    assert [c["id"] for c in billing.get(C).json()["items"]] == [world.front_desk]
    assert billing.post(f"{C}/{world.front_desk}/replies", {"body": "Your balance is paid."}).status_code == 201
    assert agent.get(f"{C}/{world.front_desk}").status_code == 404


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_audit_log_lists_every_event_newest_first(cast, api_as, world, role):
    api = api_as(cast[role])
    expected = list(AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[:50])

    response = api.get("/api/v1/audit")

    assert response.status_code == 200
    assert [event["seq"] for event in response.json()["items"]] == expected


def test_unknown_ids_answer_like_forbidden_ones(cast, api_as, world):
    api = api_as(cast["admin"])
    missing = max(world.patient, world.duplicate, world.front_desk, world.nursing) + 1000

    responses = [api.get(f"{P}/{missing}"), api.get(f"{P}/{missing}/notes"), api.get(f"{C}/{missing}")]

    assert [(r.status_code, r.json()) for r in responses] == [(404, REFUSAL_BODIES[404])] * 3


@pytest.mark.parametrize("endpoint", sorted(REQUESTS))
def test_no_token_is_401(cast, api_as, world, endpoint):
    api = api_as(cast["admin"])
    api.headers = {}
    before = state()

    response = REQUESTS[endpoint](api, world)

    assert (response.status_code, response.json()) == (401, REFUSAL_BODIES[401])
    assert state() == before


@pytest.mark.parametrize("endpoint", sorted(REQUESTS))
def test_revoked_token_is_401(cast, api_as, world, endpoint):
    api = api_as(cast["admin"])
    ApiToken.objects.filter(user=cast["admin"]).update(revoked_at=timezone.now())
    before = state()

    response = REQUESTS[endpoint](api, world)

    assert (response.status_code, response.json()) == (401, REFUSAL_BODIES[401])
    assert state() == before


def test_token_of_a_deactivated_user_is_401(cast, api_as, world):
    api = api_as(cast["admin"])
    User.objects.filter(pk=cast["admin"].pk).update(is_active=False)

    response = api.get(P)

    assert (response.status_code, response.json()) == (401, REFUSAL_BODIES[401])


def test_made_up_token_is_401(cast, api_as, world):
    api = api_as(cast["admin"])
    api.headers = {"Authorization": "Bearer cdk_not-a-real-token"}

    response = api.get(P)

    assert (response.status_code, response.json()) == (401, REFUSAL_BODIES[401])


# docs/permissions.md must say what MATRIX does.

DOC = Path(django_settings.BASE_DIR).parent / "docs" / "permissions.md"


def markdown_table(text: str, *header_start: str) -> list[list[str]]:
    """The rows of the first table whose header begins with `header_start` cells, header row included."""
    tables, current = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            current.append([cell.strip().strip("`") for cell in line.strip().strip("|").split("|")])
        elif current:
            tables.append(current)
            current = []
    header, _separator, *rows = next(t for t in tables if tuple(t[0][: len(header_start)]) == header_start)
    return [header, *rows]


def matrix_as_markdown() -> str:
    roles = Role.values
    lines = ["| permission | " + " | ".join(roles) + " |", "|---|" + "---|" * len(roles)]
    for perm, allowed in MATRIX.items():
        lines.append(f"| `{perm}` | " + " | ".join("yes" if r in allowed else "no" for r in roles) + " |")
    return "\n".join(lines)


def test_docs_permission_table_matches_matrix():
    header, *rows = markdown_table(DOC.read_text(), "permission", "admin")
    roles = header[1:]
    documented = {row[0]: frozenset(r for r, cell in zip(roles, row[1:], strict=True) if cell == "yes") for row in rows}

    assert {cell for row in rows for cell in row[1:]} <= {"yes", "no"}
    assert (roles, documented) == (list(Role.values), dict(MATRIX)), (
        "docs/permissions.md disagrees with MATRIX; the table should read:\n" + matrix_as_markdown()
    )


def conversation_scope(role: str) -> str:
    if role in CONVERSATION_SCOPE_ALL:
        return "all"
    return "team" if role in MATRIX["conversation.view"] else "none"


def test_docs_conversation_scope_matches_code():
    _header, *rows = markdown_table(DOC.read_text(), "role", "sees conversations")

    assert dict(rows) == {role: conversation_scope(role) for role in Role.values}
