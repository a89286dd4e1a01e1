"""The one permission-checked way to fetch conversations for a user."""

from django.db.models import Q
from django.http import Http404

from caredesk.accounts.permissions import has_perm, sees_all_conversations
from caredesk.inbox.models import Conversation


def visible_conversations(user, perm: str = "conversation.view"):
    if not has_perm(user, perm):
        return Conversation.objects.none()
    qs = Conversation.objects.filter(patient__merged_into__isnull=True)
    if sees_all_conversations(user):
        return qs
    return qs.filter(Q(team__in=user.teams.all()) | Q(assignee=user))


def access_conversation(user, conversation_id, perm: str = "conversation.view") -> Conversation:
    """Unknown and forbidden conversations both raise Http404."""
    try:
        pk = int(conversation_id)
    except (TypeError, ValueError):
        raise Http404("No such conversation.") from None
    conversation = visible_conversations(user, perm).select_related("patient", "team", "assignee").filter(pk=pk).first()
    if conversation is None:
        raise Http404("No such conversation.")
    return conversation
