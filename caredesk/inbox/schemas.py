import datetime

from ninja import Field, Schema

from caredesk.inbox.models import Conversation, Priority
from caredesk.patients.models import Channel


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int


class MessageOut(Schema):
    id: int
    direction: str
    channel: str
    author: str
    author_user: str | None
    body: str
    internal: bool
    status: str
    failure_reason: str
    created_at: datetime.datetime
    sent_at: datetime.datetime | None
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_author_user(obj):
        return obj.author_user.username if obj.author_user_id else None

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())


class ConversationOut(Schema):
    id: int
    patient_id: int
    patient_name: str
    status: str
    priority: str
    team: str | None
    assignee: str | None
    labels: list[str]
    last_channel: str
    language: str
    urgency_reasons: list[str]
    waiting_since: datetime.datetime | None
    sla_due_at: datetime.datetime | None
    created_at: datetime.datetime
    last_message_at: datetime.datetime
    first_response_at: datetime.datetime | None
    resolved_at: datetime.datetime | None

    @staticmethod
    def resolve_patient_name(obj):
        return obj.patient.display_name

    @staticmethod
    def resolve_team(obj):
        return obj.team.slug if obj.team_id else None

    @staticmethod
    def resolve_assignee(obj):
        return obj.assignee.username if obj.assignee_id else None

    @staticmethod
    def resolve_labels(obj):
        return sorted(label.name for label in obj.labels.all())


class ConversationDetail(ConversationOut):
    messages: list[MessageOut]

    @staticmethod
    def resolve_messages(obj):
        return list(obj.messages.select_related("author_user").prefetch_related("attachments"))


class ConversationFilters(Schema):
    status: Conversation.Status | None = None
    priority: Priority | None = None
    channel: Channel | None = None
    team: str | None = None
    assignee: str | None = None
    patient_id: int | None = None
    label: str | None = None


class ReplyIn(Schema):
    body: str = Field(min_length=1, max_length=10000)
    channel: Channel | None = None


class NoteIn(Schema):
    body: str = Field(min_length=1, max_length=10000)
