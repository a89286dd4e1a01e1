"""Every state change of conversations and messages: the message pipeline and staff actions."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from caredesk.assistant.urgency import EMERGENCY, Triage, triage
from caredesk.audit.actions import record
from caredesk.inbox import delivery, realtime, routing
from caredesk.inbox.models import PRIORITY_RANK, Attachment, Conversation, Label, Message, Priority
from caredesk.inbox.safety import safety_reply
from caredesk.integrations.base import InboundMessage
from caredesk.patients import contacts
from caredesk.patients.actions import resolve_sender

# An emergency conversation gets the safety reply again only after this long, so a patient who sends
# several messages in a row is not flooded with the same text.
SAFETY_REPLY_INTERVAL = datetime.timedelta(minutes=15)


@dataclass
class Received:
    message: Message
    conversation: Conversation
    duplicate: bool
    triage: Triage | None = None


def receive_message(inbound: InboundMessage) -> Received:
    """The inbound pipeline: dedupe → resolve patient → thread → triage → route → store → on commit:
    realtime event and delivery of any automatic reply. Stored before the caller acknowledges."""
    _validate_inbound(inbound)
    try:
        with transaction.atomic():
            return _receive(inbound)
    except IntegrityError:
        duplicate = _find_duplicate(inbound)
        if duplicate is None:
            raise
        return Received(duplicate, duplicate.conversation, duplicate=True)


def _validate_inbound(inbound: InboundMessage) -> None:
    limit = settings.CAREDESK_MAX_ATTACHMENT_BYTES
    if not inbound.body.strip() and not inbound.attachments:
        raise ValidationError({"body": "A message needs text or an attachment."})
    if "\x00" in inbound.body or "\x00" in inbound.sender_name:
        # PostgreSQL text cannot hold NUL; a provider sending one gets a clear refusal, not a 500.
        raise ValidationError({"body": "Text must not contain NUL characters."})
    for item in inbound.attachments:
        if len(item.data) > limit:
            raise ValidationError({"attachments": f"{item.filename} is larger than the {filesizeformat(limit)} limit."})


def _find_duplicate(inbound: InboundMessage) -> Message | None:
    if not inbound.provider_message_id:
        return None
    return (
        Message.objects.select_related("conversation")
        .filter(channel=inbound.channel, provider_message_id=inbound.provider_message_id)
        .first()
    )


def _receive(inbound: InboundMessage) -> Received:
    # No up-front duplicate check: the unique (channel, provider id) constraint rejects a replay at
    # insert time and receive_message answers with the stored original, saving a query per message.
    now = inbound.received_at or timezone.now()
    try:
        sender_value = contacts.normalize(inbound.sender_kind, inbound.sender_value)
    except ValidationError as exc:
        raise ValidationError({"sender": exc.messages}) from None
    contact_point = resolve_sender(inbound.sender_kind, sender_value, inbound.sender_name)
    patient = contact_point.patient
    result = triage(inbound.body)
    conversation = _thread(patient, inbound.channel, now)
    routing.route(conversation, result.urgency, now)
    conversation.status = Conversation.Status.OPEN
    conversation.snoozed_until = None
    conversation.waiting_since = conversation.waiting_since or now
    conversation.last_message_at = now
    conversation.last_channel = inbound.channel
    conversation.language = result.language
    conversation.urgency_reasons = sorted(set(conversation.urgency_reasons) | set(result.reasons))
    conversation.save()
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.INBOUND,
        channel=inbound.channel,
        author=Message.Author.PATIENT,
        contact_point=contact_point,
        body=inbound.body,
        provider_message_id=inbound.provider_message_id or None,
        status=Message.Status.RECEIVED,
        created_at=now,
    )
    _store_attachments(message, inbound)
    if result.urgency == EMERGENCY:
        _send_safety_reply(conversation, message, result, now)
    record(
        inbound.channel,
        "message.receive",
        message,
        patient_id=patient.pk,
        detail={"conversation": conversation.pk, "urgency": result.urgency, "reasons": list(result.reasons)},
    )
    realtime.conversation_changed_on_commit(conversation, "message.received", message.pk)
    return Received(message, conversation, duplicate=False, triage=result)


def _thread(patient, channel: str, now) -> Conversation:
    """Messages join the patient's open conversation whatever the channel: one thread, one history."""
    conversation = (
        Conversation.objects.select_for_update()
        .filter(patient=patient)
        .exclude(status=Conversation.Status.RESOLVED)
        .order_by("-last_message_at", "-id")
        .first()
    )
    if conversation is None:
        conversation = Conversation(patient=patient, last_channel=channel, created_at=now, last_message_at=now)
    return conversation


def _store_attachments(message: Message, inbound: InboundMessage) -> None:
    for item in inbound.attachments:
        attachment = Attachment(
            message=message, filename=item.filename[:255], content_type=item.content_type[:100], size=len(item.data)
        )
        attachment.file.save(item.filename[:100], ContentFile(item.data), save=True)


def _send_safety_reply(conversation: Conversation, trigger: Message, result: Triage, now) -> None:
    recent = conversation.messages.filter(
        author=Message.Author.SYSTEM, created_at__gte=now - SAFETY_REPLY_INTERVAL, direction=Message.Direction.OUTBOUND
    )
    if recent.exists():
        return
    _queue_outbound(
        conversation,
        body=safety_reply(result.language, result.is_suicide_risk),
        author=Message.Author.SYSTEM,
        channel=trigger.channel,
        contact_point=trigger.contact_point,
        now=now,
    )


def _queue_outbound(conversation, *, body, author, channel, contact_point, now, user=None) -> Message:
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUTBOUND,
        channel=channel,
        author=author,
        author_user=user,
        contact_point=contact_point,
        body=body,
        status=Message.Status.QUEUED,
        created_at=now,
    )
    delivery.enqueue_on_commit(message.pk)
    return message


def _reply_target(conversation: Conversation, channel: str | None):
    """The patient's contact point for `channel`, defaulting to the channel they last wrote on."""
    channel = channel or conversation.last_channel
    last_inbound = (
        conversation.messages.filter(direction=Message.Direction.INBOUND, channel=channel, contact_point__isnull=False)
        .select_related("contact_point")
        .order_by("-created_at", "-id")
        .first()
    )
    if last_inbound is None:
        raise ValidationError({"channel": f"The patient has not written on {channel}; choose a channel they use."})
    return channel, last_inbound.contact_point


@transaction.atomic
def send_reply(user, conversation: Conversation, body: str, *, channel: str | None = None, ip=None) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a reply before sending."})
    channel, contact_point = _reply_target(conversation, channel)
    if contact_point.opted_out:
        raise ValidationError({"channel": f"The patient opted out of {channel}; reply on another channel."})
    now = timezone.now()
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    message = _queue_outbound(
        conversation,
        body=body,
        author=Message.Author.STAFF,
        channel=channel,
        contact_point=contact_point,
        now=now,
        user=user,
    )
    conversation.first_response_at = conversation.first_response_at or now
    conversation.waiting_since = None
    conversation.sla_due_at = None
    conversation.status = Conversation.Status.PENDING
    if conversation.assignee_id is None:
        conversation.assignee = user
    conversation.save()
    record(user, "message.reply", message, patient_id=conversation.patient_id, ip=ip, detail={"channel": channel})
    realtime.conversation_changed_on_commit(conversation, "message.sent", message.pk)
    return message


@transaction.atomic
def add_internal_note(user, conversation: Conversation, body: str, *, ip=None) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write the note before saving it."})
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUTBOUND,
        channel=conversation.last_channel,
        author=Message.Author.STAFF,
        author_user=user,
        body=body,
        internal=True,
        status=Message.Status.NOTE,
        created_at=timezone.now(),
    )
    record(user, "message.note", message, patient_id=conversation.patient_id, ip=ip)
    realtime.conversation_changed_on_commit(conversation, "note.added", message.pk)
    return message


def _save_change(user, conversation: Conversation, fields: list[str], action: str, ip, detail: dict) -> Conversation:
    conversation.save(update_fields=fields)
    record(user, action, conversation, patient_id=conversation.patient_id, ip=ip, detail=detail)
    realtime.conversation_changed_on_commit(conversation, action)
    return conversation


@transaction.atomic
def assign(user, conversation: Conversation, *, assignee=None, team=None, ip=None) -> Conversation:
    conversation.assignee = assignee
    if team is not None:
        conversation.team = team
    detail = {"assignee": assignee.pk if assignee else None, "team": conversation.team_id}
    return _save_change(user, conversation, ["assignee", "team"], "conversation.assign", ip, detail)


@transaction.atomic
def set_status(user, conversation: Conversation, status: str, *, snoozed_until=None, ip=None) -> Conversation:
    if status not in Conversation.Status.values:
        raise ValidationError({"status": f"Choose one of: {', '.join(Conversation.Status.values)}."})
    now = timezone.now()
    if status == Conversation.Status.SNOOZED:
        if snoozed_until is None or snoozed_until <= now:
            raise ValidationError({"snoozed_until": "Choose a time in the future to snooze until."})
    conversation.status = status
    conversation.snoozed_until = snoozed_until if status == Conversation.Status.SNOOZED else None
    conversation.resolved_at = now if status == Conversation.Status.RESOLVED else None
    if status == Conversation.Status.RESOLVED:
        conversation.waiting_since = None
        conversation.sla_due_at = None
    fields = ["status", "snoozed_until", "resolved_at", "waiting_since", "sla_due_at"]
    return _save_change(user, conversation, fields, "conversation.status", ip, {"status": status})


@transaction.atomic
def set_priority(user, conversation: Conversation, priority: str, *, ip=None) -> Conversation:
    if priority not in Priority.values:
        raise ValidationError({"priority": f"Choose one of: {', '.join(Priority.values)}."})
    conversation.priority = priority
    conversation.priority_rank = PRIORITY_RANK[priority]
    return _save_change(
        user, conversation, ["priority", "priority_rank"], "conversation.priority", ip, {"priority": priority}
    )


@transaction.atomic
def set_labels(user, conversation: Conversation, names: list[str], *, ip=None) -> Conversation:
    labels = [Label.objects.get_or_create(name=name.strip()[:50])[0] for name in names if name.strip()]
    conversation.labels.set(labels)
    return _save_change(
        user, conversation, [], "conversation.labels", ip, {"labels": sorted(lab.name for lab in labels)}
    )
