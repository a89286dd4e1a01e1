import json

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from bench.bare.models import Message


@require_POST
def inbound(request):
    """The same request and response shape as CareDesk's inbound endpoint, stored with one INSERT."""
    payload = json.loads(request.body)
    message = Message.objects.create(
        sender=payload["sender"]["phone"], body=payload["body"], provider_message_id=payload["provider_message_id"]
    )
    return JsonResponse({"message_id": message.pk, "duplicate": False}, status=202)
