"""Re-encrypting PHI columns after a new key was put first in CAREDESK_ENCRYPTION_KEYS."""

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from caredesk.encryption import EncryptedTextField, active_key_id, key_id_of

BATCH = 500


def encrypted_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def rotate_field(model, field) -> int:
    active = active_key_id()
    raw = model.objects.annotate(_raw=Cast(field.attname, models.TextField())).values_list("pk", "_raw")
    stale = [pk for pk, value in raw.iterator(chunk_size=BATCH) if value and key_id_of(value) != active]
    for start in range(0, len(stale), BATCH):
        with transaction.atomic():
            for obj in model.objects.filter(pk__in=stale[start : start + BATCH]).only("pk", field.attname):
                model.objects.filter(pk=obj.pk).update(**{field.attname: getattr(obj, field.attname)})
    return len(stale)


def rotate_all(progress=None) -> int:
    total = 0
    for model, field in encrypted_fields():
        count = rotate_field(model, field)
        total += count
        if progress:
            progress(f"{model._meta.label}.{field.name}", count)
    return total
