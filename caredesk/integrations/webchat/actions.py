"""Web-chat sessions: a visitor introduces themselves once, then resumes with a browser token."""

import datetime
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caredesk.inbox.actions import Received, receive_message
from caredesk.inbox.models import Message
from caredesk.integrations.base import InboundMessage
from caredesk.integrations.webchat.models import ChatSession
from caredesk.patients import contacts
from caredesk.patients.actions import resolve_sender
from caredesk.patients.models import ContactPoint

HISTORY_LIMIT = 100


@dataclass
class Session:
    token: str
    contact_point_id: int
    handle: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def start_session(*, name: str, phone: str = "", email: str = "") -> Session:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Please tell us your name."})
    claimed = _claimed_contacts(phone, email)
    handle = f"webchat:{uuid.uuid4()}"
    point = resolve_sender(ContactPoint.Kind.CHAT, handle, name)
    token = secrets.token_urlsafe(32)
    ChatSession.objects.create(
        token_hash=_hash(token),
        contact_point=point,
        claimed_phone=claimed.get(ContactPoint.Kind.PHONE, ""),
        claimed_email=claimed.get(ContactPoint.Kind.EMAIL, ""),
    )
    return Session(token, point.pk, handle)


def _claimed_contacts(phone: str, email: str) -> dict[str, str]:
    """Normalised here so a bad value is reported against its own field, which the widget shows it beside."""
    claimed = {}
    for kind, raw in ((ContactPoint.Kind.PHONE, phone), (ContactPoint.Kind.EMAIL, email)):
        if not (raw or "").strip():
            continue
        try:
            claimed[kind] = contacts.normalize(kind, raw)
        except ValidationError as exc:
            raise ValidationError({kind.value: exc.messages[0]}) from None
    if not claimed:
        raise ValidationError({"contact": "Please give a phone number or an email so we can reach you."})
    return claimed


def resume_session(token: str) -> Session | None:
    session = ChatSession.objects.select_related("contact_point").filter(token_hash=_hash(token or "")).first()
    idle_limit = datetime.timedelta(days=settings.CAREDESK_WEBCHAT_SESSION_DAYS)
    if session is None or session.last_seen_at < timezone.now() - idle_limit:
        # A browser left alone that long may no longer be the patient's: they introduce themselves again.
        return None
    session.save(update_fields=["last_seen_at"])
    return Session(token, session.contact_point_id, session.contact_point.value)


def history(session: Session) -> list[Message]:
    """Only what this browser sent or was sent: never the rest of the patient's record."""
    messages = Message.objects.filter(contact_point_id=session.contact_point_id, internal=False)
    messages = messages.order_by("-created_at", "-id")
    return list(reversed(messages[:HISTORY_LIMIT]))


def post_message(session: Session, client_id: str, body: str) -> Received:
    if not client_id or len(client_id) > 64:
        raise ValidationError({"client_id": "Each message needs a client id of at most 64 characters."})
    return receive_message(
        InboundMessage(
            channel="webchat",
            sender_kind=ContactPoint.Kind.CHAT,
            sender_value=session.handle,
            body=(body or "")[:5000],
            # Scoped to the session so one browser's ids can never collide with another's.
            provider_message_id=f"{session.contact_point_id}:{client_id}",
        )
    )
