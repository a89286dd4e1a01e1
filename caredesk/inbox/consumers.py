"""The staff console's live feed: inbox events for the conversations this user may see.

Events carry ids and state, never message text: the console fetches content over HTTP, through the
same permission checks and audit as any read.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from caredesk.accounts.middleware import MFA_VERIFIED_KEY
from caredesk.accounts.permissions import has_perm
from caredesk.inbox.access import visible_conversations
from caredesk.inbox.realtime import INBOX_GROUP

FORBIDDEN = 4403


class InboxConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.user = self.scope.get("user")
        if not await database_sync_to_async(self._allowed)():
            await self.close(code=FORBIDDEN)
            return
        await self.channel_layer.group_add(INBOX_GROUP, self.channel_name)
        await self.accept()

    def _allowed(self) -> bool:
        user = self.user
        if user is None or not user.is_authenticated or not has_perm(user, "conversation.view"):
            return False
        return not user.mfa_enabled or bool(self.scope["session"].get(MFA_VERIFIED_KEY))

    async def disconnect(self, code):
        await self.channel_layer.group_discard(INBOX_GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs):
        """The feed is one-way; staff actions go through HTTP where they are checked and audited."""

    async def inbox_event(self, event):
        if await self._may_see(event["conversation_id"]):
            await self.send_json({k: v for k, v in event.items() if k != "type"})

    async def inbox_typing(self, event):
        if await self._may_see(event["conversation_id"]):
            await self.send_json({"kind": "patient.typing", "conversation_id": event["conversation_id"]})

    @database_sync_to_async
    def _may_see(self, conversation_id: int) -> bool:
        return visible_conversations(self.user).filter(pk=conversation_id).exists()
