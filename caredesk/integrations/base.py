"""The contract every channel provider implements, and the message it hands to the pipeline.

A provider verifies its webhook requests, turns them into `InboundMessage`s, and sends outbound
messages: `send()` returns the provider's message id or raises `DeliveryError`. `permanent=False`
means "try again later" (timeouts, 5xx, rate limits); `permanent=True` means retrying cannot help.
"""

import datetime
from dataclasses import dataclass, field


class DeliveryError(Exception):
    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class InboundMessage:
    channel: str
    sender_kind: str  # a ContactPoint.Kind: where replies go back to
    sender_value: str
    body: str
    provider_message_id: str = ""
    sender_name: str = ""
    attachments: tuple[InboundAttachment, ...] = ()
    received_at: datetime.datetime | None = None
    meta: dict = field(default_factory=dict)


class Provider:
    channel: str = ""

    def send(self, message) -> str:
        raise NotImplementedError
