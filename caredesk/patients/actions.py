"""Every change to patient records. Each action is one transaction with its audit rows."""

import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from caredesk.audit.actions import record
from caredesk.encryption import blind_index
from caredesk.patients import contacts
from caredesk.patients.models import Caregiver, Consent, ContactPoint, Note, Patient, Preference

NULLABLE_FIELDS = ("date_of_birth", "mrn")
DEMOGRAPHIC_FIELDS = ("first_name", "last_name", "date_of_birth", "mrn", "preferred_language", "timezone", "verified")


def dob_index(dob) -> str:
    return blind_index(dob.isoformat(), "dob") if dob else ""


def _refresh_derived(patient: Patient) -> None:
    patient.search_name = f"{patient.first_name} {patient.last_name}".strip().lower()
    patient.dob_index = dob_index(patient.date_of_birth)


def _validate_timezone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError({"timezone": "Unknown time zone; use an IANA name such as America/New_York."}) from exc


def _check_mrn_free(mrn, exclude_pk=None) -> None:
    if mrn and Patient.objects.filter(mrn=mrn).exclude(pk=exclude_pk).exists():
        raise ValidationError({"mrn": "Another patient already has this MRN."})


@transaction.atomic
def create_patient(actor, *, contact_points=(), ip=None, **fields) -> Patient:
    _validate_timezone(fields.get("timezone") or "America/New_York")
    _check_mrn_free(fields.get("mrn"))
    patient = Patient(**{k: v for k, v in fields.items() if k in DEMOGRAPHIC_FIELDS})
    _refresh_derived(patient)
    patient.save()
    for kind, value in contact_points:
        add_contact_point(actor, patient, kind, value, ip=ip)
    record(actor, "patient.create", patient, patient_id=patient.pk, ip=ip)
    return patient


@transaction.atomic
def update_patient(actor, patient: Patient, *, ip=None, **changes) -> Patient:
    nulled = [k for k, v in changes.items() if v is None and k not in NULLABLE_FIELDS]
    if nulled:
        raise ValidationError({name: "This field cannot be null." for name in nulled})
    if "timezone" in changes:
        _validate_timezone(changes["timezone"])
    if "mrn" in changes:
        _check_mrn_free(changes["mrn"], exclude_pk=patient.pk)
    changed = [k for k, v in changes.items() if k in DEMOGRAPHIC_FIELDS and getattr(patient, k) != v]
    for name in changed:
        setattr(patient, name, changes[name])
    _refresh_derived(patient)
    patient.save()
    record(actor, "patient.update", patient, patient_id=patient.pk, ip=ip, detail={"fields": sorted(changed)})
    return patient


@transaction.atomic
def delete_patient(actor, patient: Patient, *, ip=None) -> None:
    if patient.conversations.exists():
        raise ValidationError("This patient has conversations; merge the record instead of deleting it.")
    record(actor, "patient.delete", patient, patient_id=patient.pk, ip=ip)
    patient.delete()


class ContactPointTaken(ValidationError):
    pass


@transaction.atomic
def add_contact_point(actor, patient: Patient, kind: str, raw_value: str, *, verified=False, ip=None):
    if kind not in ContactPoint.Kind.values:
        raise ValidationError({"kind": f"Choose one of: {', '.join(ContactPoint.Kind.values)}."})
    try:
        value = contacts.normalize(kind, raw_value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from None
    existing = ContactPoint.objects.filter(kind=kind, value=value).first()
    if existing and existing.patient_id != patient.pk:
        raise ContactPointTaken({"value": f"This {kind} belongs to another patient; merge the records instead."})
    if existing:
        return existing
    try:
        with transaction.atomic():
            point = ContactPoint.objects.create(patient=patient, kind=kind, value=value, verified=verified)
    except IntegrityError as exc:
        raise ContactPointTaken({"value": f"This {kind} belongs to another patient."}) from exc
    record(actor, "contact_point.add", point, patient_id=patient.pk, ip=ip, detail={"kind": kind})
    return point


@transaction.atomic
def set_preference(actor, patient: Patient, *, ip=None, **fields) -> Preference:
    pref, _ = Preference.objects.get_or_create(patient=patient)
    for name, value in fields.items():
        setattr(pref, name, value)
    pref.save()
    record(actor, "preference.update", pref, patient_id=patient.pk, ip=ip, detail={"fields": sorted(fields)})
    return pref


@transaction.atomic
def record_consent(actor, patient: Patient, *, channel, status, source, wording, ip=None) -> Consent:
    consent = Consent.objects.create(
        patient=patient,
        channel=channel,
        status=status,
        source=source,
        wording=wording,
        recorded_at=timezone.now(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        actor, "consent.record", consent, patient_id=patient.pk, ip=ip, detail={"channel": channel, "status": status}
    )
    return consent


@transaction.atomic
def add_caregiver(actor, patient: Patient, *, ip=None, **fields) -> Caregiver:
    caregiver = Caregiver.objects.create(patient=patient, granted_at=timezone.now(), **fields)
    record(actor, "caregiver.add", caregiver, patient_id=patient.pk, ip=ip, detail={"scope": caregiver.scope})
    return caregiver


@transaction.atomic
def add_note(actor, patient: Patient, body: str, kind: str = Note.Kind.HANDOFF, *, ip=None) -> Note:
    if not body.strip():
        raise ValidationError({"body": "Write the note before saving it."})
    note = Note.objects.create(patient=patient, author=actor, kind=kind, body=body)
    record(actor, "note.add", note, patient_id=patient.pk, ip=ip, detail={"kind": kind})
    return note


@dataclass
class MergeResult:
    patient: Patient
    moved: dict


@transaction.atomic
def merge_patients(actor, keep: Patient, duplicate: Patient, *, ip=None) -> MergeResult:
    """Fold `duplicate` into `keep`: its contact points, conversations, notes, consents and caregivers
    move over, blank demographics are filled from it, and it is left as a tombstone pointing at `keep`."""
    if keep.pk == duplicate.pk:
        raise ValidationError({"duplicate_id": "A patient cannot be merged into itself."})
    if duplicate.merged_into_id:
        raise ValidationError({"duplicate_id": "That record was already merged."})
    moved = {
        "contact_points": duplicate.contact_points.update(patient=keep),
        "conversations": duplicate.conversations.update(patient=keep),
        "notes": duplicate.notes.update(patient=keep),
        "consents": duplicate.consents.update(patient=keep),
        "caregivers": duplicate.caregivers.update(patient=keep),
    }
    for name in ("last_name", "date_of_birth", "mrn"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
            if name == "mrn":
                duplicate.mrn = None
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "mrn"])
    _refresh_derived(keep)
    keep.verified = keep.verified or duplicate.verified
    keep.save()
    record(actor, "patient.merge", keep, patient_id=keep.pk, ip=ip, detail={"merged": duplicate.pk, "moved": moved})
    record(actor, "patient.merged_away", duplicate, patient_id=duplicate.pk, ip=ip, detail={"into": keep.pk})
    return MergeResult(keep, moved)


def _new_sender(kind: str, value: str, name: str) -> ContactPoint:
    """A new, unverified patient for an unknown sender, or the one a concurrent request just made."""
    first, _, last = (name.strip() or "Unknown sender").partition(" ")
    patient = Patient(first_name=first[:100], last_name=last[:100], verified=False)
    _refresh_derived(patient)
    patient.save()
    try:
        with transaction.atomic():
            point = ContactPoint.objects.create(patient=patient, kind=kind, value=value)
    except IntegrityError:
        patient.delete()
        return ContactPoint.objects.select_related("patient").get(kind=kind, value=value)
    record("pipeline", "patient.create", patient, patient_id=patient.pk, detail={"source": "inbound", "kind": kind})
    return point


def resolve_sender(kind: str, value: str, name: str = "") -> ContactPoint:
    """The contact point a message came from; an unknown sender becomes a new, unverified patient.
    Identities a sender merely claims (a web-chat visitor typing a phone number) are never linked
    here: whoever types a patient's number must not receive that patient's replies. Staff link
    records after checking. Runs inside the caller's transaction."""
    point = ContactPoint.objects.select_related("patient").filter(kind=kind, value=value).first()
    return point if point is not None else _new_sender(kind, value, name)
