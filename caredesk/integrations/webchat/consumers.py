"""The widget's WebSocket: JSON frames, each answered; a message is acknowledged only once stored.

Client → server: {"type": "start", "name", "phone"|"email"} · {"type": "resume", "token"} ·
{"type": "message", "client_id", "body"} · {"type": "typing"}.
Server → client: {"type": "session", "token", "messages": [...]} · {"type": "ack", "client_id", "id"} ·
{"type": "message", "message": {...}} · {"type": "error", "field", "error"}; a refused start or message
frame's error also echoes its "client_id" (null for a start), so the widget can mark that message.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import ValidationError

from caredesk.inbox.realtime import INBOX_GROUP, conversation_group
from caredesk.integrations.webchat import actions
from caredesk.integrations.webchat.provider import session_group, wire_message


def _text(content: dict, key: str) -> str:
    """A frame's string field; JSON null or a non-string counts as missing, never as the text "None"."""
    value = content.get(key)
    if not isinstance(value, str):
        return ""
    if "\x00" in value:
        # PostgreSQL cannot store NUL in text; refused here, it is a field error instead of a dropped socket.
        raise ValidationError({key: "This has a character we cannot accept. Please type it again."})
    return value


def _first_error(exc: ValidationError) -> tuple[str, str]:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.message_dict.items()))
        return field, errors[0]
    return "", exc.messages[0]


class WebchatConsumer(AsyncJsonWebsocketConsumer):
    session: actions.Session | None = None
    conversation_id: int | None = None

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # The base class raises on binary or empty frames, which closes the socket; answer them instead.
        content = await self.decode_json(text_data) if text_data else None
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "field": "type", "error": "Send each frame as a JSON object."})
            return
        handler = {
            "start": self.on_start,
            "resume": self.on_resume,
            "message": self.on_message,
            "typing": self.on_typing,
        }.get(content.get("type"))
        if handler is None:
            await self.send_json({"type": "error", "field": "type", "error": "Unknown frame type."})
            return
        try:
            await handler(content)
        except ValidationError as exc:
            field, error = _first_error(exc)
            client_id = content.get("client_id")
            await self.send_json({"type": "error", "field": field, "error": error, "client_id": client_id})

    async def decode_json(self, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def on_start(self, content):
        session = await database_sync_to_async(actions.start_session)(
            name=_text(content, "name"), phone=_text(content, "phone"), email=_text(content, "email")
        )
        await self._join(session)

    async def on_resume(self, content):
        session = await database_sync_to_async(actions.resume_session)(_text(content, "token"))
        if session is None:
            await self.send_json({"type": "error", "field": "token", "error": "Session expired; please start again."})
            return
        await self._join(session)

    async def _join(self, session):
        # A second start or resume on one socket must stop the replies meant for the previous session.
        await self._leave()
        self.session = session
        await self.channel_layer.group_add(session_group(session.contact_point_id), self.channel_name)
        history = await database_sync_to_async(actions.history)(session)
        # Typing notices need the conversation, which a resumed socket knows only from its history.
        self.conversation_id = history[-1].conversation_id if history else None
        messages = [wire_message(m) for m in history]
        await self.send_json({"type": "session", "token": session.token, "messages": messages})

    async def _leave(self):
        if self.session is not None:
            await self.channel_layer.group_discard(session_group(self.session.contact_point_id), self.channel_name)

    async def on_message(self, content):
        if self.session is None:
            raise ValidationError({"session": "Start the chat before sending messages."})
        client_id = _text(content, "client_id")
        received = await database_sync_to_async(actions.post_message)(self.session, client_id, _text(content, "body"))
        self.conversation_id = received.conversation.pk
        await self.send_json({"type": "ack", "client_id": client_id, "id": received.message.pk})

    async def on_typing(self, content):
        if self.session is None or self.conversation_id is None:
            return
        event = {"type": "inbox.typing", "conversation_id": self.conversation_id}
        # The staff feed listens on the inbox group and filters by what each user may see; the
        # conversation group is for views of one thread, as with the inbox's other live events.
        for group in (INBOX_GROUP, conversation_group(self.conversation_id)):
            await self.channel_layer.group_send(group, event)

    async def chat_reply(self, event):
        await self.send_json({"type": "message", "message": event["message"]})

    async def disconnect(self, code):
        await self._leave()
