"""The staff live feed over a real WebSocket handshake, with the session cookie as a browser sends it."""

import asyncio

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from caredesk.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


def connect(user=None):
    headers = [(b"origin", b"http://127.0.0.1:8000")]
    if user is not None:
        headers.append((b"cookie", session_cookie(user)))
    return WebsocketCommunicator(application, "/ws/inbox/", headers=headers)


async def _events_seen(communicator, post):
    connected, code = await communicator.connect()
    if not connected:
        return code, []
    await asyncio.get_running_loop().run_in_executor(None, post)
    events = []
    while not await communicator.receive_nothing(timeout=0.5):
        events.append(await communicator.receive_json_from())
    await communicator.disconnect()
    return None, events


def run(communicator, post=lambda: None):
    return asyncio.run(_events_seen(communicator, post))


def test_nurse_sees_emergency_event_and_front_desk_agent_does_not(cast, inbound):
    def post():
        assert inbound("crushing chest pain right now", provider_message_id="live-1").status_code == 202

    code, nurse_events = run(connect(cast["nurse"]), post)
    assert code is None
    assert [(e["kind"], e["priority"], e["status"]) for e in nurse_events] == [
        ("message.received", "emergency", "open")
    ]
    assert set(nurse_events[0]) == {
        "kind",
        "conversation_id",
        "priority",
        "status",
        "team_id",
        "assignee_id",
        "message_id",
    }

    _code, agent_events = run(connect(cast["agent"]), lambda: inbound("still chest pain", provider_message_id="live-2"))
    assert agent_events == []


def test_anonymous_auditor_and_foreign_origin_are_refused(cast):
    assert run(connect())[0] == 4403
    assert run(connect(cast["auditor"]))[0] == 4403
    foreign = WebsocketCommunicator(
        application,
        "/ws/inbox/",
        headers=[(b"origin", b"https://evil.example"), (b"cookie", session_cookie(cast["nurse"]))],
    )
    assert run(foreign)[0] == 1000
