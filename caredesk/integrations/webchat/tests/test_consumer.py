"""The widget's WebSocket protocol, spoken to the real ASGI app with channels' WebsocketCommunicator.

pytest-asyncio is not a dependency: each test runs its async scenario with `async_to_sync`, which also
makes `database_sync_to_async` calls run on the test's own thread and database connection.
"""

import datetime
import functools
import hashlib

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone

from caredesk.asgi import application
from caredesk.inbox.delivery import deliver
from caredesk.inbox.models import Conversation, Message
from caredesk.inbox.safety import safety_reply
from caredesk.integrations.webchat.models import ChatSession
from caredesk.integrations.webchat.provider import session_group, wire_message
from caredesk.patients.models import ContactPoint
from caredesk.testing.live import reset_channel_layer

# Transactional: what the pipeline does on commit (queueing replies, live events) needs a real commit.
pytestmark = pytest.mark.django_db(transaction=True)

ROSA = {"type": "start", "name": "Rosa Diaz", "phone": "+1 555 010 0123"}


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    # Each scenario runs on a new event loop; groups left by the last one would point at a dead loop.
    reset_channel_layer()
    yield
    reset_channel_layer()


def scenario(test):
    """Run an async test body to completion from a synchronous pytest test."""

    @functools.wraps(test)  # keeps the signature, so fixtures and parameters still reach the test
    def run(*args, **kwargs):
        return async_to_sync(test)(*args, **kwargs)

    return run


async def connect() -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/webchat/")
    connected, _ = await communicator.connect()
    assert connected is True
    return communicator


async def exchange(communicator, frame) -> dict:
    await communicator.send_json_to(frame)
    return await communicator.receive_json_from()


async def started(frame=ROSA) -> tuple[WebsocketCommunicator, dict]:
    communicator = await connect()
    session = await exchange(communicator, frame)
    assert session["type"] == "session"
    return communicator, session


async def send_message(communicator, client_id, body) -> dict:
    return await exchange(communicator, {"type": "message", "client_id": client_id, "body": body})


@database_sync_to_async
def chat_point(token) -> ContactPoint:
    return (
        ChatSession.objects.select_related("contact_point__patient")
        .get(token_hash=hashlib.sha256(token.encode()).hexdigest())
        .contact_point
    )


@database_sync_to_async
def deliver_queued() -> list[str]:
    queued = Message.objects.filter(status=Message.Status.QUEUED).order_by("id").values_list("pk", flat=True)
    return [deliver(pk) for pk in list(queued)]


@scenario
async def test_start_gives_a_token_and_an_empty_history():
    communicator, session = await started()

    assert set(session) == {"type", "token", "messages"}
    assert len(session["token"]) == 43
    assert session["messages"] == []
    point = await chat_point(session["token"])
    assert (point.kind, point.value.startswith("webchat:")) == ("chat", True)
    assert (point.patient.first_name, point.patient.last_name, point.patient.verified) == ("Rosa", "Diaz", False)
    points = await database_sync_to_async(lambda: list(point.patient.contact_points.values_list("kind", "value")))()
    assert points == [("chat", point.value)]
    assert (point.chat_session.claimed_phone, point.chat_session.claimed_email) == ("+15550100123", "")
    await communicator.disconnect()


@scenario
async def test_message_is_stored_before_it_is_acknowledged():
    communicator, session = await started()

    ack = await send_message(communicator, "c-1", "Can I move my appointment to Friday?")

    message = await database_sync_to_async(Message.objects.get)()
    assert ack == {"type": "ack", "client_id": "c-1", "id": message.pk}
    point = await chat_point(session["token"])
    assert (message.body, message.channel, message.author, message.direction, message.status) == (
        "Can I move my appointment to Friday?",
        "webchat",
        "patient",
        "in",
        "received",
    )
    assert (message.contact_point_id, message.provider_message_id) == (point.pk, f"{point.pk}:c-1")
    assert await communicator.receive_nothing() is True
    await communicator.disconnect()


@scenario
async def test_resending_a_client_id_returns_the_same_message():
    communicator, _session = await started()

    first = await send_message(communicator, "c-1", "Do you take walk-ins?")
    again = await send_message(communicator, "c-1", "Do you take walk-ins?")

    assert again == first
    assert await database_sync_to_async(Message.objects.count)() == 1
    await communicator.disconnect()


@scenario
async def test_resume_returns_exactly_this_sessions_messages():
    rosa, session = await started()
    await send_message(rosa, "c-1", "Do you take walk-ins?")
    await send_message(rosa, "c-2", "And on Saturdays?")
    await rosa.disconnect()
    # Another browser naming the same phone gets a record of its own: a claim is not proof.
    other, _other_session = await started({**ROSA, "name": "Someone Else"})
    await send_message(other, "c-1", "What is Rosa's diagnosis?")
    await other.disconnect()

    resumed = await connect()
    frame = await exchange(resumed, {"type": "resume", "token": session["token"]})

    point = await chat_point(session["token"])
    expected = await database_sync_to_async(
        lambda: [wire_message(m) for m in Message.objects.filter(contact_point=point).order_by("id")]
    )()
    assert [m["body"] for m in expected] == ["Do you take walk-ins?", "And on Saturdays?"]
    assert frame == {"type": "session", "token": session["token"], "messages": expected}
    assert await database_sync_to_async(Conversation.objects.count)() == 2
    await resumed.disconnect()


@scenario
async def test_resume_with_an_unknown_token_asks_to_start_again():
    communicator = await connect()

    frame = await exchange(communicator, {"type": "resume", "token": "not-a-token"})

    assert frame == {"type": "error", "field": "token", "error": "Session expired; please start again."}
    await communicator.disconnect()


@scenario
async def test_resume_after_the_idle_limit_asks_to_start_again():
    first, session = await started()
    await first.disconnect()
    long_ago = timezone.now() - datetime.timedelta(days=31)
    await database_sync_to_async(lambda: ChatSession.objects.update(last_seen_at=long_ago))()

    communicator = await connect()
    frame = await exchange(communicator, {"type": "resume", "token": session["token"]})

    assert frame == {"type": "error", "field": "token", "error": "Session expired; please start again."}
    await communicator.disconnect()


NO_NAME = {"field": "name", "error": "Please tell us your name.", "client_id": None}
NO_CONTACT = {
    "field": "contact",
    "error": "Please give a phone number or an email so we can reach you.",
    "client_id": None,
}
NO_BODY = {"field": "body", "error": "A message needs text or an attachment."}
BAD_CLIENT_ID = {"field": "client_id", "error": "Each message needs a client id of at most 64 characters."}
# PostgreSQL cannot store NUL characters; SQLite can, so only this check keeps the two alike.
NUL = "This has a character we cannot accept. Please type it again."

INVALID_BEFORE_START = [
    ("not json", {"field": "type", "error": "Send each frame as a JSON object."}),
    ('["start"]', {"field": "type", "error": "Send each frame as a JSON object."}),
    ({"type": "dance"}, {"field": "type", "error": "Unknown frame type."}),
    (
        {"type": "message", "client_id": "c-1", "body": "Hello"},
        {"field": "session", "error": "Start the chat before sending messages.", "client_id": "c-1"},
    ),
    ({"type": "start", "phone": "+1 555 010 0123"}, NO_NAME),
    ({"type": "start", "name": "   ", "email": "rosa@example.com"}, NO_NAME),
    ({"type": "start", "name": "Rosa Diaz"}, NO_CONTACT),
    ({"type": "start", "name": "Rosa Diaz", "phone": None, "email": None}, NO_CONTACT),
    (
        {"type": "start", "name": "Rosa Diaz", "phone": "12"},
        {"field": "phone", "error": "Enter a valid phone number, e.g. +1 555 010 0123.", "client_id": None},
    ),
    (
        {"type": "start", "name": "Rosa Diaz", "email": "rosa@"},
        {"field": "email", "error": "Enter a valid email address.", "client_id": None},
    ),
    ({**ROSA, "name": "Ro\x00sa"}, {"field": "name", "error": NUL, "client_id": None}),
    ({**ROSA, "phone": "+1 555\x00 010 0123"}, {"field": "phone", "error": NUL, "client_id": None}),
    ({"type": "resume", "token": "\x00"}, {"field": "token", "error": NUL, "client_id": None}),
]


@pytest.mark.parametrize(("frame", "error"), INVALID_BEFORE_START)
@scenario
async def test_invalid_frame_gets_an_error_and_the_socket_stays_open(frame, error):
    communicator = await connect()

    if isinstance(frame, str):
        await communicator.send_to(text_data=frame)
    else:
        await communicator.send_json_to(frame)

    assert await communicator.receive_json_from() == {"type": "error", **error}
    assert (await exchange(communicator, ROSA))["type"] == "session"
    assert await database_sync_to_async(ChatSession.objects.count)() == 1
    await communicator.disconnect()


@scenario
async def test_binary_frame_gets_an_error_and_the_socket_stays_open():
    communicator = await connect()

    await communicator.send_to(bytes_data=b"\x00\x01")

    assert await communicator.receive_json_from() == {
        "type": "error",
        "field": "type",
        "error": "Send each frame as a JSON object.",
    }
    assert (await exchange(communicator, ROSA))["type"] == "session"
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        ({"type": "message", "client_id": "c-1", "body": "  "}, NO_BODY),
        ({"type": "message", "body": "Hello"}, BAD_CLIENT_ID),
        ({"type": "message", "client_id": "x" * 65, "body": "Hello"}, BAD_CLIENT_ID),
        ({"type": "message", "client_id": "c-1", "body": "Hi\x00"}, {"field": "body", "error": NUL}),
        ({"type": "message", "client_id": "c-\x001", "body": "Hi"}, {"field": "client_id", "error": NUL}),
    ],
)
@scenario
async def test_invalid_message_gets_an_error_and_nothing_is_stored(frame, error):
    communicator, _session = await started()

    reply = await exchange(communicator, frame)

    assert reply == {"type": "error", **error, "client_id": frame.get("client_id")}
    assert await database_sync_to_async(Message.objects.count)() == 0
    assert (await send_message(communicator, "c-2", "Hello"))["type"] == "ack"
    await communicator.disconnect()


@scenario
async def test_staff_reply_through_the_api_reaches_the_open_widget(cast, api_as):
    communicator, _session = await started()
    ack = await send_message(communicator, "c-1", "Can I move my appointment to Friday?")
    message = await database_sync_to_async(Message.objects.select_related("conversation__team").get)(pk=ack["id"])
    assert message.conversation.team.slug == "front-desk"

    agent = await sync_to_async(api_as)(cast["agent"])
    response = await sync_to_async(agent.post)(
        f"/api/v1/conversations/{message.conversation_id}/replies", {"body": "Yes, Friday at 10 works."}
    )
    assert response.status_code == 201
    assert await deliver_queued() == ["sent"]

    reply = await database_sync_to_async(Message.objects.get)(pk=response.json()["id"])
    assert (reply.channel, reply.author, reply.status, reply.contact_point_id) == (
        "webchat",
        "staff",
        "sent",
        message.contact_point_id,
    )
    assert await communicator.receive_json_from() == {"type": "message", "message": wire_message(reply)}
    await communicator.disconnect()


@scenario
async def test_emergency_text_gets_the_safety_reply():
    communicator, _session = await started()

    ack = await send_message(communicator, "c-1", "I have crushing chest pain")
    inbound = await database_sync_to_async(Message.objects.get)(direction="in")
    assert ack == {"type": "ack", "client_id": "c-1", "id": inbound.pk}
    assert await deliver_queued() == ["sent"]

    frame = await communicator.receive_json_from()
    safety = await database_sync_to_async(Message.objects.get)(direction="out")
    assert frame == {"type": "message", "message": wire_message(safety)}
    assert (safety.author, safety.body, safety.channel) == ("system", safety_reply("en", False), "webchat")
    assert "call 911 now" in frame["message"]["body"]
    conversation = await database_sync_to_async(Conversation.objects.get)()
    assert conversation.priority == "emergency"
    await communicator.disconnect()


def staff_feed(user) -> WebsocketCommunicator:
    """The staff console's live feed, opened as that user's browser would: our origin, their session."""
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"cookie", cookie.encode())]
    return WebsocketCommunicator(application, "/ws/inbox/", headers=headers)


@scenario
async def test_typing_after_resume_reaches_the_front_desk_feed(cast):
    rosa, session = await started()
    ack = await send_message(rosa, "c-1", "Do you take walk-ins?")
    await rosa.disconnect()
    conversation_id = (await database_sync_to_async(Message.objects.get)(pk=ack["id"])).conversation_id
    feed = await sync_to_async(staff_feed)(cast["agent"])
    assert (await feed.connect())[0] is True

    resumed = await connect()
    await exchange(resumed, {"type": "resume", "token": session["token"]})
    await resumed.send_json_to({"type": "typing"})

    assert await feed.receive_json_from() == {"kind": "patient.typing", "conversation_id": conversation_id}
    await resumed.disconnect()
    await feed.disconnect()


@scenario
async def test_starting_again_on_one_socket_stops_the_previous_sessions_replies():
    communicator, first = await started()
    first_point = await chat_point(first["token"])

    second = await exchange(communicator, {**ROSA, "phone": "", "email": "rosa@example.com"})
    assert second["token"] != first["token"]
    await get_channel_layer().group_send(
        session_group(first_point.pk), {"type": "chat.reply", "message": {"id": 1, "body": "for the first session"}}
    )

    assert await communicator.receive_nothing() is True
    await communicator.disconnect()
