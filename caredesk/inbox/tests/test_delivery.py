"""Outbound delivery: claim, retry with backoff, permanent failure, crash recovery.

The API channel's webhook receiver here is a real HTTP server on 127.0.0.1 started by the test.
"""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from caredesk.inbox import delivery
from caredesk.inbox.models import Conversation, Message

pytestmark = pytest.mark.django_db


class Receiver:
    """Answers with the queued status codes in order, recording every request."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook(settings):
    made = []

    def start(*statuses):
        receiver = Receiver(statuses)
        made.append(receiver)
        settings.CAREDESK_API_WEBHOOK_URL = receiver.url
        settings.CAREDESK_API_WEBHOOK_SECRET = "whsec-test"
        return receiver

    yield start
    for receiver in made:
        receiver.close()


@pytest.fixture
def reply(inbound, cast, api_as):
    inbound("do you take walk-ins?", phone="+15550100077", provider_message_id="in-1")
    conversation = Conversation.objects.get()
    response = api_as(cast["agent"]).post(
        f"/api/v1/conversations/{conversation.pk}/replies", {"body": "Yes, until noon."}
    )
    return Message.objects.get(pk=response.json()["id"])


def test_delivered_once_with_signature_and_idempotency_key(webhook, reply):
    receiver = webhook(200)

    assert delivery.deliver(reply.pk) == "sent"
    assert delivery.deliver(reply.pk) == "skipped"

    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    expected_sig = "sha256=" + hmac.new(b"whsec-test", body, hashlib.sha256).hexdigest()
    assert headers["x-caredesk-signature"] == expected_sig
    assert headers["idempotency-key"] == str(reply.pk)
    assert json.loads(body)["to"] == {"kind": "phone", "value": "+15550100077"}
    assert json.loads(body)["body"] == "Yes, until noon."
    reply.refresh_from_db()
    assert (reply.status, reply.attempts, reply.provider_message_id) == ("sent", 1, f"api-{reply.pk}-200")


def test_transient_errors_retry_with_backoff_then_succeed(webhook, reply):
    receiver = webhook(503, 429, 200)

    assert delivery.deliver(reply.pk) == "queued"
    reply.refresh_from_db()
    assert (reply.status, reply.attempts, reply.failure_reason) == ("queued", 1, "Webhook answered HTTP 503.")
    assert reply.next_attempt_at > timezone.now()
    assert delivery.deliver(reply.pk) == "skipped"  # not due yet

    for _ in range(2):
        type(reply).objects.filter(pk=reply.pk).update(next_attempt_at=timezone.now())
        delivery.deliver(reply.pk)
    reply.refresh_from_db()
    assert (reply.status, reply.attempts, len(receiver.requests)) == ("sent", 3, 3)


def test_permanent_error_fails_at_once_with_reason(webhook, reply):
    webhook(400)

    assert delivery.deliver(reply.pk) == "failed"
    reply.refresh_from_db()
    assert (reply.status, reply.attempts, reply.failure_reason) == ("failed", 1, "Webhook answered HTTP 400.")


def test_retries_stop_at_the_attempt_limit(webhook, reply, settings):
    settings.CAREDESK_DELIVERY_MAX_ATTEMPTS = 2
    webhook(500, 500, 500)

    delivery.deliver(reply.pk)
    type(reply).objects.filter(pk=reply.pk).update(next_attempt_at=timezone.now())
    assert delivery.deliver(reply.pk) == "failed"
    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == ("failed", 2)


def test_backoff_grows_exponentially_with_jitter_and_a_ceiling():
    for attempt, ceiling in ((1, 10), (2, 20), (5, 160), (20, 3600)):
        delays = [delivery.backoff(attempt).total_seconds() for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)


def test_message_a_dead_worker_left_in_sending_is_requeued_and_sent_once(webhook, reply):
    receiver = webhook(200)
    claimed = delivery.claim(reply.pk)  # the worker dies here, before calling the provider
    assert claimed.status == "sending"
    assert delivery.deliver(reply.pk) == "skipped"  # another worker must not send it meanwhile

    later = timezone.now() + delivery.CLAIM_TIMEOUT + datetime.timedelta(seconds=1)
    assert delivery.sweep(now=later) == 1
    assert delivery.deliver(reply.pk) == "sent"
    assert len(receiver.requests) == 1
