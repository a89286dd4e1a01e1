"""The REST API channel: integrators post inbound messages; replies go to their signed webhook.

Outbound body: JSON {"id", "conversation_id", "to": {"kind", "value"}, "body", "created_at"} with
header `X-CareDesk-Signature: sha256=<hex HMAC of the raw body with CAREDESK_API_WEBHOOK_SECRET>` and
`Idempotency-Key: <message id>` so a resend after a worker crash can be dropped by the receiver.
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.request

from django.conf import settings

from caredesk.integrations.base import DeliveryError, Provider

TIMEOUT_SECONDS = 10


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class ApiProvider(Provider):
    channel = "api"

    def send(self, message) -> str:
        url = settings.CAREDESK_API_WEBHOOK_URL
        if not url:
            raise DeliveryError(
                "The API channel has no outbound webhook (set CAREDESK_API_WEBHOOK_URL).", permanent=True
            )
        payload = {
            "id": message.pk,
            "conversation_id": message.conversation_id,
            "to": {"kind": message.contact_point.kind, "value": message.contact_point.value},
            "body": message.body,
            "created_at": message.created_at.isoformat(),
        }
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", "Idempotency-Key": str(message.pk)}
        if settings.CAREDESK_API_WEBHOOK_SECRET:
            headers["X-CareDesk-Signature"] = sign(settings.CAREDESK_API_WEBHOOK_SECRET, body)
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return f"api-{message.pk}-{response.status}"
        except urllib.error.HTTPError as exc:
            retryable = exc.code == 429 or exc.code >= 500
            raise DeliveryError(f"Webhook answered HTTP {exc.code}.", permanent=not retryable) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"Webhook unreachable: {type(exc).__name__}.") from None
