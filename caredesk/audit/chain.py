"""Appending to and verifying the hash-chained audit log."""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings

from caredesk.audit.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _key() -> bytes:
    return hmac.new(base64.urlsafe_b64decode(settings.BLIND_INDEX_KEY), b"audit-chain", hashlib.sha256).digest()


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    canonical = json.dumps(
        [
            event.seq,
            event.at.isoformat(),
            event.actor_id,
            event.actor_label,
            event.action,
            event.object_type,
            event.object_id,
            event.patient_id,
            event.ip,
            event.detail,
        ],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hmac.new(_key(), f"{prev_hash}|{canonical}".encode(), hashlib.sha256).hexdigest()


def append(event: AuditEvent) -> AuditEvent:
    """Chain and insert `event`. Caller holds a transaction; the head row lock orders writers."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event.seq = head.seq + 1
    event.prev_hash = head.hash
    event.hash = event_hash(head.hash, event)
    event.save(force_insert=True)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""


def verify(batch_size: int = 5000, progress=None) -> VerifyResult:
    prev, expected_seq, checked = GENESIS, 1, 0
    rows = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    for event in rows:
        if event.seq != expected_seq:
            return VerifyResult(False, checked, f"row seq {expected_seq} is missing (next is {event.seq})")
        if event.prev_hash != prev or event_hash(prev, event) != event.hash:
            return VerifyResult(False, checked, f"row seq {event.seq} (id {event.pk}) was altered")
        prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
        if progress and checked % batch_size == 0:
            progress(checked)
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead(seq=0, hash=GENESIS)
    if head.seq != checked or head.hash != prev:
        return VerifyResult(False, checked, f"log ends at seq {checked} but the head records seq {head.seq}")
    return VerifyResult(True, checked)
