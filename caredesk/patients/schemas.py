import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import model_validator

from caredesk.patients.models import Caregiver, Channel, ContactPoint, Note


class ContactPointIn(Schema):
    kind: ContactPoint.Kind
    value: str = Field(min_length=1, max_length=254)


class ContactPointOut(Schema):
    id: int
    kind: str
    value: str
    verified: bool
    opted_out: bool


class PatientIn(Schema):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field("", max_length=100)
    date_of_birth: datetime.date | None = None
    mrn: str | None = Field(None, max_length=40)
    preferred_language: str = Field("en", min_length=2, max_length=10)
    timezone: str = Field("America/New_York", max_length=64)
    verified: bool = True
    contact_points: list[ContactPointIn] = Field(default_factory=list, max_length=20)


class PatientPatch(Schema):
    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    date_of_birth: datetime.date | None = None
    mrn: str | None = Field(None, max_length=40)
    preferred_language: str | None = Field(None, min_length=2, max_length=10)
    timezone: str | None = Field(None, max_length=64)
    verified: bool | None = None


class PatientOut(Schema):
    id: int
    first_name: str
    last_name: str
    date_of_birth: datetime.date | None
    mrn: str | None
    preferred_language: str
    timezone: str
    verified: bool
    contact_points: list[ContactPointOut]

    @staticmethod
    def resolve_contact_points(obj):
        return list(obj.contact_points.all())


class MergeIn(Schema):
    duplicate_id: int


class MergeOut(Schema):
    patient: PatientOut
    moved: dict[str, int]


class NoteIn(Schema):
    body: str = Field(min_length=1, max_length=20000)
    kind: Note.Kind = Note.Kind.HANDOFF


class NoteOut(Schema):
    id: int
    kind: str
    body: str
    author: str | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_author(obj):
        return obj.author.username if obj.author else None


class ConsentIn(Schema):
    channel: Channel
    status: str = Field(pattern="^(granted|withdrawn)$")
    source: str = Field(min_length=1, max_length=100)
    wording: str = Field(min_length=1, max_length=2000)


class ConsentOut(Schema):
    id: int
    channel: str
    status: str
    source: str
    wording: str
    recorded_at: datetime.datetime


class CaregiverIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    relationship: str = Field(min_length=1, max_length=100)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    scope: Caregiver.Scope


class CaregiverOut(Schema):
    id: int
    name: str
    relationship: str
    phone: str
    email: str
    scope: str
    granted_at: datetime.datetime


class PreferenceIn(Schema):
    preferred_channel: Channel | Literal[""] = ""
    quiet_hours_start: datetime.time | None = None
    quiet_hours_end: datetime.time | None = None

    @model_validator(mode="after")
    def both_or_neither(self):
        if (self.quiet_hours_start is None) != (self.quiet_hours_end is None):
            raise ValueError("Give both quiet_hours_start and quiet_hours_end, or neither.")
        return self


class PreferenceOut(Schema):
    preferred_channel: str
    quiet_hours_start: datetime.time | None
    quiet_hours_end: datetime.time | None
