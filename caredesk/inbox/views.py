from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from caredesk.accounts.permissions import has_perm
from caredesk.audit.actions import ip_of, record_listing
from caredesk.inbox.access import visible_conversations
from caredesk.inbox.models import Conversation

PAGE_SIZE = 50


@login_required
def home(request):
    """The inbox's first page in its default order: emergency, urgent, then longest waiting."""
    if not has_perm(request.user, "conversation.view"):
        return render(request, "inbox/no_inbox.html")
    conversations = list(
        visible_conversations(request.user)
        .exclude(status=Conversation.Status.RESOLVED)
        .select_related("patient", "team", "assignee")
        .order_by("priority_rank", "waiting_since", "id")[:PAGE_SIZE]
    )
    record_listing(request.user, "conversation.list", "conversation", conversations, ip=ip_of(request))
    return render(request, "inbox/home.html", {"conversations": conversations})
