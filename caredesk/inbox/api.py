from ninja import Query, Router, Status
from ninja.pagination import paginate

from caredesk.accounts.permissions import require
from caredesk.audit.actions import ip_of, record
from caredesk.audit.pagination import audited_pagination
from caredesk.inbox import actions
from caredesk.inbox.access import access_conversation, visible_conversations
from caredesk.inbox.schemas import ConversationDetail, ConversationFilters, ConversationOut, MessageOut, NoteIn, ReplyIn

router = Router(tags=["conversations"])

FILTER_LOOKUPS = {
    "status": "status",
    "priority": "priority",
    "channel": "last_channel",
    "team": "team__slug",
    "assignee": "assignee__username",
    "patient_id": "patient_id",
    "label": "labels__name",
}


AuditedPagination = audited_pagination("conversation.list", "conversation")


@router.get("", response=list[ConversationOut])
@paginate(AuditedPagination)
def list_conversations(request, filters: Query[ConversationFilters]):
    require(request.auth, "conversation.view")
    lookups = {FILTER_LOOKUPS[k]: v for k, v in filters.dict(exclude_none=True).items()}
    return (
        visible_conversations(request.auth)
        .filter(**lookups)
        .select_related("patient", "team", "assignee")
        .prefetch_related("labels")
        .order_by("priority_rank", "waiting_since", "id")
        .distinct()
    )


@router.get("/{conversation_id}", response=ConversationDetail)
def get_conversation(request, conversation_id: int):
    conversation = access_conversation(request.auth, conversation_id)
    record(request.auth, "conversation.view", conversation, patient_id=conversation.patient_id, ip=ip_of(request))
    return conversation


@router.post("/{conversation_id}/replies", response={201: MessageOut})
def reply(request, conversation_id: int, payload: ReplyIn):
    conversation = access_conversation(request.auth, conversation_id, "conversation.reply")
    return Status(
        201, actions.send_reply(request.auth, conversation, payload.body, channel=payload.channel, ip=ip_of(request))
    )


@router.post("/{conversation_id}/notes", response={201: MessageOut})
def add_note(request, conversation_id: int, payload: NoteIn):
    conversation = access_conversation(request.auth, conversation_id, "conversation.reply")
    return Status(201, actions.add_internal_note(request.auth, conversation, payload.body, ip=ip_of(request)))
