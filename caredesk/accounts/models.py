from django.contrib.auth.models import AbstractUser
from django.db import models

from caredesk.encryption import EncryptedTextField


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    SUPERVISOR = "supervisor", "Supervisor"
    AGENT = "agent", "Front-desk agent"
    NURSE = "nurse", "Nurse"
    BILLING = "billing", "Billing"
    PROVIDER = "provider", "Provider"
    AUDITOR = "auditor", "Auditor"
    # A service account for one integration: API tokens only, never an interactive login.
    INTEGRATION = "integration", "Integration"


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    # Routing defaults until admins write intent rules: one team takes routine traffic, one urgent.
    takes_routine = models.BooleanField(default=False)
    takes_urgent = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AGENT)
    teams = models.ManyToManyField(Team, related_name="members", blank=True)
    is_on_duty = models.BooleanField(default=False)
    mfa_secret = EncryptedTextField(blank=True, default="")
    mfa_enabled = models.BooleanField(default=False)
    mfa_last_counter = models.BigIntegerField(default=0)
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class RecoveryCode(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, the secret is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
