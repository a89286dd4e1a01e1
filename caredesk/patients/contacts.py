"""Normalising contact values so one phone or email maps to exactly one contact point."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from caredesk.patients.models import ContactPoint


def normalize_phone(raw: str, region: str | None = None) -> str:
    region = region or getattr(settings, "CAREDESK_PHONE_REGION", "US")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError("Enter a valid phone number, e.g. +1 555 010 0123.") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError("Enter a valid phone number, e.g. +1 555 010 0123.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    value = raw.strip().lower()
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValidationError("Enter a valid email address.") from exc
    return value


def normalize(kind: str, raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        raise ValidationError("This field is required.")
    if kind in (ContactPoint.Kind.PHONE, ContactPoint.Kind.WHATSAPP):
        return normalize_phone(raw)
    if kind == ContactPoint.Kind.EMAIL:
        return normalize_email(raw)
    if len(raw) > 254:
        raise ValidationError("Ensure this value has at most 254 characters.")
    return raw
