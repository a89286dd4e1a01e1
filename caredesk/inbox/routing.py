"""Where a conversation goes and how soon it is due, from its triaged priority."""

import datetime

from django.conf import settings

from caredesk.accounts.models import Team
from caredesk.assistant.urgency import EMERGENCY, URGENT
from caredesk.inbox.models import PRIORITY_RANK, Conversation, Priority

URGENCY_TO_PRIORITY = {EMERGENCY: Priority.EMERGENCY, URGENT: Priority.URGENT}


def route(conversation: Conversation, urgency: str, now: datetime.datetime) -> None:
    """Raise priority to match the triaged urgency (never lower it: a later 'thanks' does not make an
    emergency routine), pick the team, and set the first-response due time."""
    triaged = URGENCY_TO_PRIORITY.get(urgency, Priority.NORMAL)
    if PRIORITY_RANK[triaged] < conversation.priority_rank:
        conversation.priority = triaged
        conversation.priority_rank = PRIORITY_RANK[triaged]
    if conversation.priority_rank <= PRIORITY_RANK[Priority.URGENT]:
        urgent_team = Team.objects.filter(takes_urgent=True).order_by("id").first()
        conversation.team = urgent_team or conversation.team
    elif conversation.team_id is None:
        conversation.team = Team.objects.filter(takes_routine=True).order_by("id").first()
    waiting_since = conversation.waiting_since or now
    sla = settings.CAREDESK_SLA_SECONDS[conversation.priority]
    conversation.sla_due_at = waiting_since + datetime.timedelta(seconds=sla)
