from django.conf import settings
from django.db import models

from caredesk.encryption import EncryptedDateField, EncryptedTextField


class Channel(models.TextChoices):
    API = "api", "API"
    WEBCHAT = "webchat", "Web chat"
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"
    WHATSAPP = "whatsapp", "WhatsApp"
    MESSENGER = "messenger", "Messenger"
    PHONE = "phone", "Phone call"


class Patient(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    # Lower-cased "first last" so name search is one indexed prefix/contains lookup on every database.
    search_name = models.CharField(max_length=201, db_index=True, editable=False)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    dob_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    mrn = models.CharField("MRN", max_length=40, null=True, blank=True, unique=True)
    preferred_language = models.CharField(max_length=10, default="en")
    timezone = models.CharField(max_length=64, default="America/New_York")
    # False for a patient created from an unknown sender until staff confirm who they are.
    verified = models.BooleanField(default=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ContactPoint(models.Model):
    class Kind(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        CHAT = "chat", "Chat handle"
        WHATSAPP = "whatsapp", "WhatsApp"
        MESSENGER = "messenger", "Messenger"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=254)
    verified = models.BooleanField(default=False)
    opted_out = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="contact_point_unique_value")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class Preference(models.Model):
    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="preference")
    preferred_channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    quiet_hours_start = models.TimeField(null=True, blank=True)
    quiet_hours_end = models.TimeField(null=True, blank=True)


class Consent(models.Model):
    class Status(models.TextChoices):
        GRANTED = "granted", "Granted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    recorded_at = models.DateTimeField()
    source = models.CharField(max_length=100)
    wording = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-recorded_at", "-id"]


class Caregiver(models.Model):
    class Scope(models.TextChoices):
        SCHEDULING = "scheduling", "Scheduling only"
        BILLING = "billing", "Billing only"
        FULL = "full", "Full proxy"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="caregivers")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    scope = models.CharField(max_length=20, choices=Scope.choices)
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)


class Note(models.Model):
    class Kind(models.TextChoices):
        HANDOFF = "handoff", "Shift handoff"
        CLINICAL = "clinical", "Clinical"
        BILLING = "billing", "Billing"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HANDOFF)
    body = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
