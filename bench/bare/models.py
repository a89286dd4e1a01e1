from django.db import models


class Message(models.Model):
    sender = models.CharField(max_length=40)
    body = models.TextField()
    provider_message_id = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
