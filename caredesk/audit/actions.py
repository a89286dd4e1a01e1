from django.db import transaction
from django.utils import timezone

from caredesk.audit import chain
from caredesk.audit.models import AuditEvent


def record(actor, action: str, obj=None, *, patient_id=None, ip=None, detail=None, object_type=None, object_id=None):
    """Append one audit row. Call inside the transaction of the change (or read) it describes."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id if object_id is not None else obj.pk
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if is_user else None,
        actor_label=actor.username if is_user else str(actor or "system"),
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        patient_id=patient_id,
        ip=ip,
        detail=detail or {},
    )
    # No savepoint: a failed append must fail the surrounding change, never leave it unaudited.
    with transaction.atomic(savepoint=False):
        return chain.append(event)


def ip_of(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def record_listing(actor, action: str, object_type: str, items, *, ip=None):
    """One row for a list or search: which records it disclosed, by id."""
    return record(actor, action, object_type=object_type, ip=ip, detail={f"{object_type}s": [obj.pk for obj in items]})
