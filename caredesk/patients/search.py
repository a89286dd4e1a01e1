"""Patient search by name, phone, email, MRN or date of birth."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q

from caredesk.patients import contacts
from caredesk.patients.actions import dob_index
from caredesk.patients.models import ContactPoint, Patient


def search_patients(*, q="", phone="", email="", mrn="", dob="") -> "Patient.objects":
    """Each given criterion narrows the result. `q` matches a name, or, when it looks like one, a phone
    number, email, MRN or ISO date of birth."""
    qs = Patient.objects.filter(merged_into__isnull=True)
    if phone:
        qs = qs.filter(
            contact_points__kind=ContactPoint.Kind.PHONE, contact_points__value=contacts.normalize_phone(phone)
        )
    if email:
        qs = qs.filter(contact_points__kind=ContactPoint.Kind.EMAIL, contact_points__value=email.strip().lower())
    if mrn:
        qs = qs.filter(mrn=mrn.strip())
    if dob:
        qs = qs.filter(dob_index=dob_index(_parse_date(dob)))
    if q:
        qs = qs.filter(_free_text(q.strip()))
    return qs.distinct().order_by("last_name", "first_name", "id")


def _parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValidationError({"dob": "Enter the date of birth as YYYY-MM-DD."}) from exc


def _free_text(q: str) -> Q:
    condition = Q(search_name__contains=q.lower()) | Q(mrn=q)
    if "@" in q:
        condition |= Q(contact_points__kind=ContactPoint.Kind.EMAIL, contact_points__value=q.lower())
    digits = sum(ch.isdigit() for ch in q)
    if digits >= 7:
        try:
            condition |= Q(contact_points__value=contacts.normalize_phone(q))
        except ValidationError:
            pass
    try:
        condition |= Q(dob_index=dob_index(datetime.date.fromisoformat(q)))
    except ValueError:
        pass
    return condition
