"""Handing queued outbound messages to their provider, exactly once per success.

A message is claimed (queued → sending) in its own short transaction before the provider is called,
so two workers never send it twice. A worker that dies mid-send leaves it in `sending`; the sweeper
returns such messages to the queue after CLAIM_TIMEOUT (providers that accept an idempotency key get
the message id, so a resend after such a crash is dropped on their side).
"""

import datetime
import logging
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from caredesk.inbox import realtime
from caredesk.inbox.models import Message
from caredesk.integrations.base import DeliveryError
from caredesk.integrations.registry import get_provider

logger = logging.getLogger("caredesk.delivery")

CLAIM_TIMEOUT = datetime.timedelta(minutes=5)
BASE_BACKOFF_SECONDS = 10
MAX_BACKOFF_SECONDS = 3600


def claim(message_id: int) -> Message | None:
    now = timezone.now()
    due = Message.objects.filter(pk=message_id, status=Message.Status.QUEUED).exclude(next_attempt_at__gt=now)
    if due.update(status=Message.Status.SENDING, claimed_at=now) != 1:
        return None
    return Message.objects.select_related("contact_point", "conversation").get(pk=message_id)


def backoff(attempt: int) -> datetime.timedelta:
    """Exponential backoff with full jitter."""
    ceiling = min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** (attempt - 1))
    return datetime.timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def deliver(message_id: int) -> str:
    """Send one message; returns the resulting status (skipped, sent, queued for retry, failed)."""
    message = claim(message_id)
    if message is None:
        return "skipped"
    try:
        provider_id = get_provider(message.channel).send(message)
    except DeliveryError as exc:
        return _failed(message, exc)
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SENT,
            provider_message_id=provider_id or None,
            sent_at=timezone.now(),
            attempts=message.attempts + 1,
            failure_reason="",
        )
        message.status = Message.Status.SENT
        realtime.conversation_changed_on_commit(message.conversation, "message.status", message.pk)
    return Message.Status.SENT


def _failed(message: Message, exc: DeliveryError) -> str:
    attempts = message.attempts + 1
    permanent = exc.permanent or attempts >= settings.CAREDESK_DELIVERY_MAX_ATTEMPTS
    reason = exc.reason[:255]
    with transaction.atomic():
        if permanent:
            Message.objects.filter(pk=message.pk).update(
                status=Message.Status.FAILED, attempts=attempts, failure_reason=reason, claimed_at=None
            )
            # The reason is the provider's or ours, never message content.
            logger.warning(
                "message %s on %s failed permanently after %s attempts: %s",
                message.pk,
                message.channel,
                attempts,
                reason,
            )
        else:
            retry_at = timezone.now() + backoff(attempts)
            Message.objects.filter(pk=message.pk).update(
                status=Message.Status.QUEUED,
                attempts=attempts,
                failure_reason=reason,
                next_attempt_at=retry_at,
                claimed_at=None,
            )
            enqueue_on_commit(message.pk, retry_at)
        realtime.conversation_changed_on_commit(message.conversation, "message.status", message.pk)
    return Message.Status.FAILED if permanent else Message.Status.QUEUED


def enqueue_on_commit(message_id: int, run_after=None) -> None:
    """Schedule delivery once the transaction that queued the message commits."""
    from caredesk.inbox.tasks import deliver_message

    task = deliver_message.using(run_after=run_after) if run_after else deliver_message
    transaction.on_commit(lambda: task.enqueue(message_id))


def sweep(now=None) -> int:
    """Requeue messages a dead worker left in `sending`, and enqueue a task for every overdue queued
    message (its task may have been lost). Returns how many were enqueued. Safe to run concurrently:
    a message with two tasks is still claimed, and sent, once."""
    now = now or timezone.now()
    stale = Message.objects.filter(status=Message.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    stale.update(status=Message.Status.QUEUED, claimed_at=None)
    overdue = Message.objects.filter(status=Message.Status.QUEUED, created_at__lt=now - CLAIM_TIMEOUT).exclude(
        next_attempt_at__gt=now
    )
    ids = list(overdue.values_list("pk", flat=True)[:1000])
    with transaction.atomic():
        for message_id in ids:
            enqueue_on_commit(message_id)
    return len(ids)
