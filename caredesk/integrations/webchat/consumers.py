"""The widget's WebSocket: JSON frames, each answered; a message is acknowledged only once stored.

Client → server: {"type": "start", "name", "phone"|"email"} · {"type": "resume", "token"} ·
{"type": "message", "client_id", "body"} · {"type": "typing"}.
Server → client: {"type": "session", "token", "messages": [...]} · {"type": "ack", "client_id", "id"} ·
{"type": "message", "message": {...}} · {"type": "error", "field", "error"}.
"""


from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import ValidationError

from caredesk.inbox.realtime import conversation_group
from caredesk.integrations.webchat import actions
from caredesk.integrations.webchat.provider import session_group, wire_message



def _first_error(exc: ValidationError) -> tuple[str, str]:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.message_dict.items()))
        return field, errors[0]
    return "", exc.messages[0]


class WebchatConsumer(AsyncJsonWebsocketConsumer):
    session: actions.Session | None = None
    conversation_id: int | None = None

    async def receive_json(self, content, **kwargs):
        handler = {
            "start": self.on_start,
            "resume": self.on_resume,
            "message": self.on_message,
            "typing": self.on_typing,
        }.get(content.get("type") if isinstance(content, dict) else None)
        if handler is None:
            await self.send_json({"type": "error", "field": "type", "error": "Unknown frame type."})
            return
        try:
            await handler(content)
        except ValidationError as exc:
            field, error = _first_error(exc)
            await self.send_json({"type": "error", "field": field, "error": error, "client_id": content.get("client_id")})

    async def decode_json(self, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def on_start(self, content):
        session = await database_sync_to_async(actions.start_session)(
            name=str(content.get("name", "")), phone=str(content.get("phone", "")), email=str(content.get("email", ""))
        )
        await self._join(session)

    async def on_resume(self, content):
        session = await database_sync_to_async(actions.resume_session)(str(content.get("token", "")))
        if session is None:
            await self.send_json({"type": "error", "field": "token", "error": "Session expired; please start again."})
            return
        await self._join(session)

    async def _join(self, session):
        self.session = session
        await self.channel_layer.group_add(session_group(session.contact_point_id), self.channel_name)
        messages = await database_sync_to_async(lambda: [wire_message(m) for m in actions.history(session)])()
        await self.send_json({"type": "session", "token": session.token, "messages": messages})

    async def on_message(self, content):
        if self.session is None:
            raise ValidationError({"session": "Start the chat before sending messages."})
        client_id = str(content.get("client_id", ""))
        received = await database_sync_to_async(actions.post_message)(self.session, client_id, str(content.get("body", "")))
        self.conversation_id = received.conversation.pk
        await self.send_json({"type": "ack", "client_id": client_id, "id": received.message.pk})

    async def on_typing(self, content):
        if self.session is None or self.conversation_id is None:
            return
        await self.channel_layer.group_send(
            conversation_group(self.conversation_id), {"type": "inbox.typing", "conversation_id": self.conversation_id}
        )

    async def chat_reply(self, event):
        await self.send_json({"type": "message", "message": event["message"]})

    async def disconnect(self, code):
        if self.session is not None:
            await self.channel_layer.group_discard(session_group(self.session.contact_point_id), self.channel_name)


