from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One access to or change of patient data. Append-only: rows are chained by `seq` and an HMAC
    over the previous row's hash, so an edited, inserted or deleted row breaks `caredesk audit verify`.
    `detail` holds ids and field names, never PHI values."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    patient_id = models.BigIntegerField(null=True, db_index=True)
    ip = models.GenericIPAddressField(null=True)
    detail = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["at"])]


class AuditChainHead(models.Model):
    """The single row writers lock to append in order; it also anchors the tail against deletion."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
