"""Inbound messages from integrators over the REST API."""

import base64
import binascii

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status

from caredesk.accounts.permissions import require
from caredesk.inbox.actions import receive_message
from caredesk.integrations.base import InboundAttachment, InboundMessage

router = Router(tags=["inbound"])


class SenderIn(Schema):
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    name: str = Field("", max_length=200)


class AttachmentIn(Schema):
    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(min_length=3, max_length=100)
    data_base64: str


class InboundIn(Schema):
    sender: SenderIn
    body: str = Field("", max_length=20000)
    provider_message_id: str = Field("", max_length=255)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)


class InboundOut(Schema):
    message_id: int
    conversation_id: int
    patient_id: int
    duplicate: bool
    priority: str


def _to_inbound(payload: InboundIn) -> InboundMessage:
    if payload.sender.phone:
        kind, value = "phone", payload.sender.phone
    elif payload.sender.email:
        kind, value = "email", payload.sender.email
    else:
        raise ValidationError({"sender": "Give the sender's phone or email."})
    try:
        attachments = tuple(
            InboundAttachment(a.filename, a.content_type, base64.b64decode(a.data_base64, validate=True))
            for a in payload.attachments
        )
    except (binascii.Error, ValueError):
        raise ValidationError({"attachments": "Attachment data must be base64."}) from None
    return InboundMessage(
        channel="api",
        sender_kind=kind,
        sender_value=value,
        sender_name=payload.sender.name,
        body=payload.body,
        provider_message_id=payload.provider_message_id,
        attachments=attachments,
    )


@router.post("/inbound", response={200: InboundOut, 202: InboundOut})
def inbound(request, payload: InboundIn):
    """Stored before this returns: 202 for a new message, 200 for a replay of a provider id."""
    require(request.auth, "message.inbound")
    result = receive_message(_to_inbound(payload))
    body = {
        "message_id": result.message.pk,
        "conversation_id": result.conversation.pk,
        "patient_id": result.conversation.patient_id,
        "duplicate": result.duplicate,
        "priority": result.conversation.priority,
    }
    return Status(200 if result.duplicate else 202, body)
