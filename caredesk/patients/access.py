"""The one permission-checked way to fetch patient data for a user."""

from django.http import Http404

from caredesk.accounts.permissions import has_perm
from caredesk.patients.models import Note, Patient


def access_patient(user, patient_id, perm: str = "patient.view") -> Patient:
    """Return the patient if `user` holds `perm`; unknown and forbidden both raise Http404 so that
    nobody can probe which record ids exist."""
    if not has_perm(user, perm):
        raise Http404("No such patient.")
    try:
        return Patient.objects.get(pk=int(patient_id), merged_into__isnull=True)
    except (Patient.DoesNotExist, TypeError, ValueError):
        raise Http404("No such patient.") from None


def visible_notes(user, patient: Patient):
    if not has_perm(user, "note.view"):
        return Note.objects.none()
    notes = patient.notes.select_related("author")
    if not has_perm(user, "note.view_clinical"):
        notes = notes.exclude(kind=Note.Kind.CLINICAL)
    return notes
