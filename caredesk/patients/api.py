from django.db import transaction
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from caredesk.accounts.permissions import require
from caredesk.audit.actions import ip_of, record
from caredesk.audit.pagination import audited_pagination
from caredesk.patients import actions
from caredesk.patients.access import access_patient, visible_notes
from caredesk.patients.schemas import (
    CaregiverIn,
    CaregiverOut,
    ConsentIn,
    ConsentOut,
    ContactPointIn,
    ContactPointOut,
    MergeIn,
    MergeOut,
    NoteIn,
    NoteOut,
    PatientIn,
    PatientOut,
    PatientPatch,
    PreferenceIn,
    PreferenceOut,
)
from caredesk.patients.search import search_patients

router = Router(tags=["patients"])


class PatientFilters(Schema):
    q: str = ""
    phone: str = ""
    email: str = ""
    mrn: str = ""
    dob: str = ""


AuditedPagination = audited_pagination("patient.search", "patient")


@router.get("", response=list[PatientOut])
@paginate(AuditedPagination)
def list_patients(request, filters: Query[PatientFilters]):
    require(request.auth, "patient.view")
    return search_patients(**filters.dict()).prefetch_related("contact_points")


@router.post("", response={201: PatientOut})
def create_patient(request, payload: PatientIn):
    require(request.auth, "patient.create")
    data = payload.dict()
    points = [(cp["kind"], cp["value"]) for cp in data.pop("contact_points")]
    return Status(201, actions.create_patient(request.auth, contact_points=points, ip=ip_of(request), **data))


@router.get("/{patient_id}", response=PatientOut)
def get_patient(request, patient_id: int):
    patient = access_patient(request.auth, patient_id)
    record(request.auth, "patient.view", patient, patient_id=patient.pk, ip=ip_of(request))
    return patient


@router.patch("/{patient_id}", response=PatientOut)
def update_patient(request, patient_id: int, payload: PatientPatch):
    patient = access_patient(request.auth, patient_id, "patient.edit")
    return actions.update_patient(request.auth, patient, ip=ip_of(request), **payload.dict(exclude_unset=True))


@router.delete("/{patient_id}", response={204: None})
def delete_patient(request, patient_id: int):
    patient = access_patient(request.auth, patient_id, "patient.delete")
    actions.delete_patient(request.auth, patient, ip=ip_of(request))
    return Status(204, None)


@router.post("/{patient_id}/merge", response=MergeOut)
def merge_patient(request, patient_id: int, payload: MergeIn):
    keep = access_patient(request.auth, patient_id, "patient.merge")
    duplicate = access_patient(request.auth, payload.duplicate_id, "patient.merge")
    result = actions.merge_patients(request.auth, keep, duplicate, ip=ip_of(request))
    return {"patient": result.patient, "moved": result.moved}


@router.post("/{patient_id}/contact-points", response={201: ContactPointOut})
def add_contact_point(request, patient_id: int, payload: ContactPointIn):
    patient = access_patient(request.auth, patient_id, "patient.edit")
    return Status(201, actions.add_contact_point(request.auth, patient, payload.kind, payload.value, ip=ip_of(request)))


@router.get("/{patient_id}/notes", response=list[NoteOut])
def list_notes(request, patient_id: int):
    patient = access_patient(request.auth, patient_id)
    require(request.auth, "note.view")
    with transaction.atomic():
        notes = list(visible_notes(request.auth, patient)[:200])
        record(
            request.auth,
            "note.list",
            patient,
            patient_id=patient.pk,
            ip=ip_of(request),
            detail={"notes": [n.pk for n in notes]},
        )
    return notes


@router.post("/{patient_id}/notes", response={201: NoteOut})
def add_note(request, patient_id: int, payload: NoteIn):
    patient = access_patient(request.auth, patient_id)
    require(request.auth, "note.add")
    if payload.kind == "clinical":
        require(request.auth, "note.view_clinical")
    return Status(201, actions.add_note(request.auth, patient, payload.body, payload.kind, ip=ip_of(request)))


@router.get("/{patient_id}/consents", response=list[ConsentOut])
def list_consents(request, patient_id: int):
    patient = access_patient(request.auth, patient_id)
    record(request.auth, "consent.list", patient, patient_id=patient.pk, ip=ip_of(request))
    return list(patient.consents.all())


@router.post("/{patient_id}/consents", response={201: ConsentOut})
def record_consent(request, patient_id: int, payload: ConsentIn):
    patient = access_patient(request.auth, patient_id, "patient.edit")
    return Status(201, actions.record_consent(request.auth, patient, ip=ip_of(request), **payload.dict()))


@router.get("/{patient_id}/caregivers", response=list[CaregiverOut])
def list_caregivers(request, patient_id: int):
    patient = access_patient(request.auth, patient_id)
    record(request.auth, "caregiver.list", patient, patient_id=patient.pk, ip=ip_of(request))
    return list(patient.caregivers.filter(revoked_at__isnull=True))


@router.post("/{patient_id}/caregivers", response={201: CaregiverOut})
def add_caregiver(request, patient_id: int, payload: CaregiverIn):
    patient = access_patient(request.auth, patient_id, "patient.edit")
    return Status(201, actions.add_caregiver(request.auth, patient, ip=ip_of(request), **payload.dict()))


@router.get("/{patient_id}/preference", response=PreferenceOut)
def get_preference(request, patient_id: int):
    patient = access_patient(request.auth, patient_id)
    record(request.auth, "preference.view", patient, patient_id=patient.pk, ip=ip_of(request))
    return getattr(patient, "preference", None) or PreferenceOut(
        preferred_channel="", quiet_hours_start=None, quiet_hours_end=None
    )


@router.put("/{patient_id}/preference", response=PreferenceOut)
def set_preference(request, patient_id: int, payload: PreferenceIn):
    patient = access_patient(request.auth, patient_id, "patient.edit")
    return actions.set_preference(request.auth, patient, ip=ip_of(request), **payload.dict())
