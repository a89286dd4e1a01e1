"""Staff account state changes: sign-in with lockout, MFA enrolment, duty status, API tokens."""

import datetime
import hashlib
import secrets

import pyotp
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caredesk.accounts.models import ApiToken, RecoveryCode, Role, User
from caredesk.audit.actions import record

RECOVERY_CODE_COUNT = 10
ISSUER = "CareDesk"


class SignInError(Exception):
    pass


def _generic_failure() -> SignInError:
    # One message for unknown user, wrong password and locked account, so sign-in reveals nothing.
    return SignInError("That username and password did not match, or the account is locked. Try again later.")


def sign_in(username: str, password: str, *, ip=None) -> User:
    """Check credentials with lockout after CAREDESK_LOCKOUT_THRESHOLD failures."""
    user = _check_credentials(username, password, ip=ip)
    if user is None:
        # Raised only after the transaction commits: the failure count and audit rows must survive it.
        raise _generic_failure()
    return user


@transaction.atomic
def _check_credentials(username: str, password: str, *, ip=None) -> User | None:
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        make_password(password)  # spend the same time as a real check
        return None
    if user.locked_until and user.locked_until > timezone.now():
        make_password(password)
        record(user, "auth.locked_attempt", user, ip=ip)
        return None
    if not user.is_active or user.role == Role.INTEGRATION or not user.check_password(password):
        _count_failure(user, ip=ip)
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    record(user, "auth.password_ok", user, ip=ip)
    return user


def _count_failure(user: User, *, ip=None) -> None:
    user.failed_logins += 1
    locking = user.failed_logins >= settings.CAREDESK_LOCKOUT_THRESHOLD
    if locking:
        user.locked_until = timezone.now() + datetime.timedelta(seconds=settings.CAREDESK_LOCKOUT_SECONDS)
        user.failed_logins = 0
    user.save(update_fields=["failed_logins", "locked_until"])
    record(user, "auth.failed", user, ip=ip)
    if locking:
        record(user, "auth.lockout", user, ip=ip)


@transaction.atomic
def set_on_duty(user: User, on_duty: bool, *, ip=None) -> User:
    user.is_on_duty = on_duty
    user.save(update_fields=["is_on_duty"])
    record(user, "duty.on" if on_duty else "duty.off", user, ip=ip)
    return user


def new_mfa_secret() -> str:
    return pyotp.random_base32()


def mfa_provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def _totp_counter(secret: str, code: str) -> int | None:
    """The time step the code belongs to (±1 step for clock drift), or None."""
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    for drift in (0, -1, 1):
        at = now + datetime.timedelta(seconds=drift * totp.interval)
        if secrets.compare_digest(totp.at(at), code.strip().replace(" ", "")):
            return totp.timecode(at)
    return None


@transaction.atomic
def confirm_mfa_enrolment(user: User, secret: str, code: str, *, ip=None) -> list[str]:
    counter = _totp_counter(secret, code)
    if counter is None:
        raise ValidationError({"code": "That code did not match. Check the time on your phone and try again."})
    user.mfa_secret = secret
    user.mfa_enabled = True
    user.mfa_last_counter = counter
    user.save(update_fields=["mfa_secret", "mfa_enabled", "mfa_last_counter"])
    codes = regenerate_recovery_codes(user)
    record(user, "mfa.enrol", user, ip=ip)
    return codes


def _digest(secret: str) -> str:
    # Recovery codes and API tokens are long random strings: a plain SHA-256 is enough to store them.
    return hashlib.sha256(secret.encode()).hexdigest()


def regenerate_recovery_codes(user: User) -> list[str]:
    user.recovery_codes.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_digest(c)) for c in codes)
    return codes


@transaction.atomic
def verify_mfa(user: User, code: str, *, ip=None) -> bool:
    """A TOTP code (each usable once) or an unused recovery code."""
    user = User.objects.select_for_update().get(pk=user.pk)
    code = (code or "").strip().lower()
    counter = _totp_counter(user.mfa_secret, code) if code.replace(" ", "").isdigit() else None
    if counter is not None and counter > user.mfa_last_counter:
        user.mfa_last_counter = counter
        user.save(update_fields=["mfa_last_counter"])
        record(user, "mfa.ok", user, ip=ip)
        return True
    recovery = user.recovery_codes.filter(used_at__isnull=True, code_hash=_digest(code)).first()
    if recovery is not None:
        recovery.used_at = timezone.now()
        recovery.save(update_fields=["used_at"])
        record(user, "mfa.recovery_code_used", user, ip=ip)
        return True
    record(user, "mfa.failed", user, ip=ip)
    return False


@transaction.atomic
def create_api_token(actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the secret, which is shown once and never stored."""
    secret = "cdk_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:12], key_hash=_digest(secret))
    record(actor, "api_token.create", token, detail={"user": user.pk, "name": name})
    return token, secret


@transaction.atomic
def revoke_api_token(actor, prefix: str) -> int:
    """Revoke every live token starting with `prefix` (the part shown in listings); returns how many."""
    tokens = list(ApiToken.objects.select_for_update().filter(prefix=prefix, revoked_at__isnull=True))
    for token in tokens:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, "api_token.revoke", token, detail={"user": token.user_id, "name": token.name})
    return len(tokens)


def user_for_token(secret: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(secret), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    return token.user
