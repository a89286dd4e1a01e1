"""Live events for the staff console, sent over the channel layer after the change commits.

Events carry ids and non-PHI state only; the console fetches the content through permission checks.
"""

import logging

from django.db import transaction

from caredesk import live

logger = logging.getLogger("caredesk.realtime")

INBOX_GROUP = "inbox"


def conversation_group(conversation_id: int) -> str:
    return f"conversation-{conversation_id}"


def _send(group: str, event: dict) -> None:
    try:
        live.group_send(group, event)
    except Exception:
        # A lost live update is repaired by the console's next refresh; the data is committed.
        logger.warning("realtime event to %s could not be sent", group, exc_info=True)


def conversation_changed_on_commit(conversation, kind: str, message_id=None) -> None:
    event = {
        "type": "inbox.event",
        "kind": kind,
        "conversation_id": conversation.pk,
        "priority": conversation.priority,
        "status": conversation.status,
        "team_id": conversation.team_id,
        "assignee_id": conversation.assignee_id,
        "message_id": message_id,
    }
    # One send per change: the staff feed filters per user; a channel-layer round trip costs
    # more than the rest of the commit.
    transaction.on_commit(lambda: _send(INBOX_GROUP, event))
