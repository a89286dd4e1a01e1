import datetime

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from caredesk.accounts.permissions import require
from caredesk.audit.models import AuditEvent

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    seq: int
    at: datetime.datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    patient_id: int | None
    ip: str | None
    detail: dict


@router.get("", response=list[AuditEventOut])
@paginate(LimitOffsetPagination)
def list_events(request, patient_id: int | None = None, action: str | None = None):
    require(request.auth, "audit.view")
    events = AuditEvent.objects.order_by("-seq")
    if patient_id is not None:
        events = events.filter(patient_id=patient_id)
    if action:
        events = events.filter(action=action)
    return events
