from django.db import models

from caredesk.patients.models import ContactPoint


class ChatSession(models.Model):
    """A web-chat visitor's browser. The widget keeps `token` in localStorage to resume after a
    reload or reconnect; only the SHA-256 of the token is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    contact_point = models.OneToOneField(ContactPoint, on_delete=models.CASCADE, related_name="chat_session")
    # What the visitor said they are reachable at; unverified, so shown to staff but never linked.
    claimed_phone = models.CharField(max_length=20, blank=True)
    claimed_email = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)
