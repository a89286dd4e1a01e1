"""Web chat: replies go over the channel layer to the visitor's open widget.

A reply is `sent` once the channel layer accepted it; a widget that was closed at that moment gets it
from the history it loads when it reconnects, so nothing is lost either way.
"""

from caredesk import live
from caredesk.integrations.base import DeliveryError, Provider


def session_group(contact_point_id: int) -> str:
    return f"webchat-{contact_point_id}"


def wire_message(message) -> dict:
    return {
        "id": message.pk,
        "author": message.author,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
    }


class WebchatProvider(Provider):
    channel = "webchat"

    def send(self, message) -> str:
        try:
            event = {"type": "chat.reply", "message": wire_message(message)}
            live.group_send(session_group(message.contact_point_id), event)
        except Exception as exc:  # a Redis outage is transient; the task retries with backoff
            raise DeliveryError(f"Channel layer unavailable: {type(exc).__name__}.") from None
        return f"webchat-{message.pk}"
