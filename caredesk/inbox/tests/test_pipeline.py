import pytest

from caredesk.audit.models import AuditEvent
from caredesk.inbox.models import Conversation, Message
from caredesk.inbox.safety import safety_reply
from caredesk.patients.models import ContactPoint, Patient

pytestmark = pytest.mark.django_db(transaction=False)


def test_new_sender_creates_unverified_patient_and_routine_conversation(inbound, teams):
    response = inbound("Can I move my appointment to Friday?", provider_message_id="ext-1")

    assert response.status_code == 202
    body = response.json()
    assert body["duplicate"] is False
    assert body["priority"] == "normal"
    patient = Patient.objects.get()
    assert (patient.first_name, patient.last_name, patient.verified) == ("Pat", "Example", False)
    assert list(ContactPoint.objects.values_list("kind", "value")) == [("phone", "+15550100001")]
    conversation = Conversation.objects.get()
    assert (conversation.status, conversation.priority, conversation.team) == ("open", "normal", teams["front-desk"])
    assert conversation.waiting_since is not None
    message = Message.objects.get()
    assert (message.direction, message.channel, message.author, message.status) == ("in", "api", "patient", "received")
    assert message.body == "Can I move my appointment to Friday?"
    assert message.provider_message_id == "ext-1"


def test_replayed_provider_id_is_dropped(inbound):
    first = inbound("Need a refill of my lisinopril", provider_message_id="ext-42")
    replay = inbound("Need a refill of my lisinopril", provider_message_id="ext-42")

    assert (first.status_code, replay.status_code) == (202, 200)
    assert replay.json() == {**first.json(), "duplicate": True}
    assert Message.objects.count() == 1
    assert AuditEvent.objects.filter(action="message.receive").count() == 1


def test_same_provider_id_on_another_channel_is_not_a_duplicate(inbound):
    from caredesk.inbox.actions import receive_message
    from caredesk.integrations.base import InboundMessage

    inbound("hello from the API", provider_message_id="shared-1")
    result = receive_message(
        InboundMessage(
            channel="webchat", sender_kind="chat", sender_value="webchat:abc", body="hi", provider_message_id="shared-1"
        )
    )

    assert result.duplicate is False
    assert Message.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "language", "reasons"),
    [
        ("I have severe chest pain and my left arm is numb", "en", ["chest_pain"]),
        ("Tengo un dolor de pecho muy fuerte y no puedo respirar", "es", ["breathing", "chest_pain"]),
    ],
)
def test_emergency_gets_priority_team_and_safety_reply(inbound, teams, text, language, reasons):
    response = inbound(text, provider_message_id="em-1")

    assert response.status_code == 202
    assert response.json()["priority"] == "emergency"
    conversation = Conversation.objects.get()
    assert (conversation.priority, conversation.priority_rank, conversation.team) == ("emergency", 0, teams["nursing"])
    assert conversation.urgency_reasons == reasons
    assert conversation.language == language
    reply = Message.objects.get(direction="out")
    assert (reply.author, reply.channel, reply.status, reply.internal) == ("system", "api", "queued", False)
    assert reply.body == safety_reply(language, suicide_risk=False)
    assert "911" in reply.body


def test_suicidal_message_gets_988_in_the_safety_reply(inbound):
    inbound("I want to kill myself tonight")

    reply = Message.objects.get(direction="out")
    assert reply.body == safety_reply("en", suicide_risk=True)
    assert "988" in reply.body


def test_negated_red_flag_is_routine(inbound, teams):
    response = inbound("no chest pain, need my records")

    assert response.json()["priority"] == "normal"
    conversation = Conversation.objects.get()
    assert (conversation.team, conversation.urgency_reasons) == (teams["front-desk"], [])
    assert Message.objects.filter(direction="out").count() == 0


def test_second_emergency_message_within_interval_gets_one_safety_reply(inbound):
    inbound("chest pain started an hour ago", provider_message_id="a")
    inbound("the chest pain is getting worse", provider_message_id="b")

    assert Message.objects.filter(direction="in").count() == 2
    assert Message.objects.filter(direction="out", author="system").count() == 1


def test_messages_thread_into_the_open_conversation_and_priority_never_drops(inbound):
    inbound("chest pain", provider_message_id="1")
    inbound("thanks, feeling better now", provider_message_id="2")

    conversation = Conversation.objects.get()
    assert conversation.priority == "emergency"
    assert conversation.messages.filter(direction="in").count() == 2


def test_resolved_conversation_is_not_reopened_by_a_new_message(inbound, cast, api_as):
    from caredesk.inbox.actions import set_status

    inbound("what time do you open?", provider_message_id="1")
    set_status(cast["agent"], Conversation.objects.get(), "resolved")
    inbound("one more question", provider_message_id="2")

    assert list(Conversation.objects.order_by("id").values_list("status", flat=True)) == ["resolved", "open"]
    assert Patient.objects.count() == 1


def test_known_email_sender_lands_on_the_existing_patient(inbound, cast):
    from caredesk.patients.actions import create_patient

    patient = create_patient(
        cast["agent"], first_name="Rosa", last_name="Diaz", contact_points=[("email", "Rosa@Example.org")]
    )
    response = inbound("hola, necesito una cita", phone="", email="rosa@example.org")

    assert response.json()["patient_id"] == patient.pk
    assert Patient.objects.count() == 1
    assert Conversation.objects.get().language == "es"


def test_reply_is_stored_queued_and_delivered_by_the_task(inbound, cast, api_as, settings):
    from caredesk.inbox.delivery import deliver

    inbound("can I get a flu shot?", provider_message_id="1")
    conversation = Conversation.objects.get()
    response = api_as(cast["agent"]).post(
        f"/api/v1/conversations/{conversation.pk}/replies", {"body": "Yes, walk in any morning."}
    )

    assert response.status_code == 201
    assert response.json()["status"] == "queued"
    conversation.refresh_from_db()
    assert (conversation.status, conversation.waiting_since, conversation.assignee) == ("pending", None, cast["agent"])
    assert conversation.first_response_at is not None
    settings.CAREDESK_API_WEBHOOK_URL = ""
    message_id = response.json()["id"]
    assert deliver(message_id) == "failed"
    failed = Message.objects.get(pk=message_id)
    assert failed.failure_reason == "The API channel has no outbound webhook (set CAREDESK_API_WEBHOOK_URL)."


def test_internal_note_is_not_sent(inbound, cast, api_as):
    inbound("question about my bill", provider_message_id="1")
    conversation = Conversation.objects.get()
    response = api_as(cast["agent"]).post(
        f"/api/v1/conversations/{conversation.pk}/notes", {"body": "Called back, no answer"}
    )

    assert response.status_code == 201
    assert (response.json()["internal"], response.json()["status"]) == (True, "note")
    conversation.refresh_from_db()
    assert conversation.first_response_at is None


def test_attachment_is_stored_and_oversize_rejected(cast, api_as, settings):
    import base64

    settings.CAREDESK_MAX_ATTACHMENT_BYTES = 10
    client = api_as(cast["integration"])
    ok = client.post(
        "/api/v1/messages/inbound",
        {
            "sender": {"phone": "+15550100002"},
            "body": "photo of rash",
            "attachments": [
                {
                    "filename": "rash.jpg",
                    "content_type": "image/jpeg",
                    "data_base64": base64.b64encode(b"12345").decode(),
                }
            ],
        },
    )
    too_big = client.post(
        "/api/v1/messages/inbound",
        {
            "sender": {"phone": "+15550100002"},
            "body": "",
            "attachments": [
                {
                    "filename": "big.jpg",
                    "content_type": "image/jpeg",
                    "data_base64": base64.b64encode(b"x" * 11).decode(),
                }
            ],
        },
    )

    assert ok.status_code == 202
    message = Message.objects.get()
    assert [(a.filename, a.size, a.file.read()) for a in message.attachments.all()] == [("rash.jpg", 5, b"12345")]
    assert too_big.status_code == 422
    assert too_big.json() == {
        "detail": [{"loc": ["body", "attachments"], "msg": "big.jpg is larger than the 10\xa0bytes limit."}]
    }
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"sender": {}, "body": "hi"}, [{"loc": ["body", "sender"], "msg": "Give the sender's phone or email."}]),
        (
            {"sender": {"phone": "not a phone"}, "body": "hi"},
            [{"loc": ["body", "sender"], "msg": "Enter a valid phone number, e.g. +1 555 010 0123."}],
        ),
        (
            {"sender": {"email": "nobody@"}, "body": "hi"},
            [{"loc": ["body", "sender"], "msg": "Enter a valid email address."}],
        ),
        (
            {"sender": {"phone": "+15550100003"}, "body": "   "},
            [{"loc": ["body", "body"], "msg": "A message needs text or an attachment."}],
        ),
    ],
)
def test_bad_inbound_input_is_a_422_with_field_messages(cast, api_as, payload, expected):
    response = api_as(cast["integration"]).post("/api/v1/messages/inbound", payload)

    assert response.status_code == 422
    assert response.json() == {"detail": expected}
    assert Message.objects.count() == 0
