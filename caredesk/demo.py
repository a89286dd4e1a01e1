"""The demo clinic: teams, staff, patients and a few days of conversations, built through the actions.

Everything goes through the same actions the app uses (patient registration, the inbound pipeline,
replies, notes, assignment), so audit rows, encryption, triage and routing are the real thing. The
content lives in `demo_content`; this module only plays it.
"""

import datetime
import random
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from caredesk import demo_content as content
from caredesk.accounts.models import Role, Team, User
from caredesk.inbox import actions as inbox
from caredesk.inbox.models import Conversation, Message
from caredesk.integrations.base import InboundMessage
from caredesk.patients import actions as patients
from caredesk.patients.models import Channel, Patient

DEMO_PASSWORD = "caredesk-demo-2026"
SEED = 20260302
PROGRESS_EVERY = 10


def demo_logins() -> list[tuple[str, str]]:
    return [(username, Role(role).label) for username, _f, _l, role, _t, _d in content.STAFF]


@dataclass
class Clinic:
    """What the loader needs while playing the content: the clock, the cast and the random source."""

    now: datetime.datetime
    rng: random.Random
    staff: dict[str, User]
    patients: dict[str, Patient]
    phones: dict[str, str]
    emails: dict[str, str]


@transaction.atomic
def ensure_demo_data(progress=print) -> bool:
    """Create the demo clinic unless staff already exist. Returns True when it created it."""
    if User.objects.exists():
        return False
    clinic = Clinic(timezone.now(), random.Random(SEED), {}, {}, {}, {})
    progress(f"creating teams and {len(content.STAFF)} staff")
    clinic.staff = _create_staff()
    progress(f"registering {len(content.PATIENTS)} patients")
    _register_patients(clinic, progress)
    _add_caregivers_and_notes(clinic)
    progress(f"replaying {len(content.THREADS)} conversations")
    _play_threads(clinic, progress)
    return True


# --- Staff ------------------------------------------------------------------------------------------


def _create_staff() -> dict[str, User]:
    teams = {
        slug: Team.objects.create(name=name, slug=slug, takes_routine=routine, takes_urgent=urgent)
        for name, slug, routine, urgent in content.TEAMS
    }
    # One Argon2 hash for every demo login: hashing at production cost once per account would take a
    # noticeable part of the first start, and the password is published anyway.
    hashed = make_password(DEMO_PASSWORD)
    staff = {}
    for username, first, last, role, team_slugs, on_duty in content.STAFF:
        user = User.objects.create(
            username=username,
            password=hashed,
            first_name=first,
            last_name=last,
            role=role,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
            is_on_duty=on_duty,
        )
        user.teams.set([teams[s] for s in team_slugs])
        staff[username] = user
    staff[content.INTEGRATION_USERNAME] = User.objects.create(
        username=content.INTEGRATION_USERNAME,
        password=make_password(None),
        first_name="Demo integration",
        role=Role.INTEGRATION,
    )
    return staff


# --- Patients ---------------------------------------------------------------------------------------


def _ascii_words(name: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z]+", plain.replace("'", ""))


def _email_for(name: str) -> str:
    return ".".join(_ascii_words(name)) + "@example.org"


def _fictional_phone(rng: random.Random, taken: set[str]) -> str:
    """A +1 555 01x xxxx number: the 555-01xx range is reserved for fiction."""
    while True:
        phone = f"+1555{rng.randint(10, 19):03d}{rng.randint(0, 9999):04d}"
        if phone not in taken:
            taken.add(phone)
            return phone


def _birth_date(rng: random.Random, fixed: str | None) -> datetime.date:
    if fixed:
        return datetime.date.fromisoformat(fixed)
    return datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randint(0, 65 * 365))


def _is_minor(born: datetime.date, today: datetime.date) -> bool:
    return (today - born).days < 18 * 365


def _contact_person(full_name: str, born: datetime.date, today: datetime.date) -> str:
    """Whose phone and email are on file: a child's are the parent's."""
    if _is_minor(born, today):
        guardians = [c[1] for c in content.CAREGIVERS if c[0] == full_name]
        return guardians[0] if guardians else full_name
    return full_name


def _register_patients(clinic: Clinic, progress) -> None:
    taken_phones: set[str] = set()
    mrns = clinic.rng.sample(range(100000, 999999), len(content.PATIENTS))
    registrars = [clinic.staff["agent"], clinic.staff["jordan"]]
    for index, (first, last, language, born) in enumerate(content.PATIENTS):
        full_name = f"{first} {last}"
        dob = _birth_date(clinic.rng, born)
        phone = _fictional_phone(clinic.rng, taken_phones)
        contact_points = [("phone", phone)]
        if full_name not in content.NO_EMAIL:
            email = _email_for(_contact_person(full_name, dob, clinic.now.date()))
            contact_points.append(("email", email))
            clinic.emails[full_name] = email
        actor = registrars[index % len(registrars)]
        patient = patients.create_patient(
            actor,
            first_name=first,
            last_name=last,
            date_of_birth=dob,
            mrn=f"RFH-{mrns[index]}",
            preferred_language=language,
            verified=True,
            contact_points=contact_points,
        )
        clinic.patients[full_name] = patient
        clinic.phones[full_name] = phone
        _record_preferences(clinic, actor, patient, language)
        if (index + 1) % PROGRESS_EVERY == 0:
            progress(f"  {index + 1}/{len(content.PATIENTS)} patients")


def _record_preferences(clinic: Clinic, actor: User, patient: Patient, language: str) -> None:
    full_name = patient.display_name
    has_email = full_name in clinic.emails
    channels = [Channel.SMS, Channel.SMS, Channel.PHONE] + ([Channel.EMAIL] if has_email else [])
    quiet = clinic.rng.random() < 0.3
    patients.set_preference(
        actor,
        patient,
        preferred_channel=clinic.rng.choice(channels),
        quiet_hours_start=datetime.time(21) if quiet else None,
        quiet_hours_end=datetime.time(8) if quiet else None,
    )
    sms_status = "withdrawn" if full_name in content.SMS_WITHDRAWN else "granted"
    patients.record_consent(
        actor,
        patient,
        channel=Channel.SMS,
        status=sms_status,
        source="new-patient intake form",
        wording=content.SMS_CONSENT[language],
    )
    if has_email:
        patients.record_consent(
            actor,
            patient,
            channel=Channel.EMAIL,
            status="granted",
            source="new-patient intake form",
            wording=content.EMAIL_CONSENT[language],
        )


def _add_caregivers_and_notes(clinic: Clinic) -> None:
    taken = set(clinic.phones.values())
    for patient_name, name, relationship, scope in content.CAREGIVERS:
        patient = clinic.patients[patient_name]
        minor = _is_minor(patient.date_of_birth, clinic.now.date())
        phone = clinic.phones[patient_name] if minor else _fictional_phone(clinic.rng, taken)
        patients.add_caregiver(
            clinic.staff["agent"],
            patient,
            name=name,
            relationship=relationship,
            phone=phone,
            email=_email_for(name),
            scope=scope,
        )
    for patient_name, kind, author, body in content.PATIENT_NOTES:
        patients.add_note(clinic.staff[author], clinic.patients[patient_name], body, kind)


# --- Conversations ----------------------------------------------------------------------------------

_AGO_RE = re.compile(r"(\d+)([dhm])")
_AGO_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def ago(text: str) -> datetime.timedelta:
    """'1d2h30m' → timedelta(days=1, hours=2, minutes=30)."""
    return datetime.timedelta(**{_AGO_UNITS[unit]: int(n) for n, unit in _AGO_RE.findall(text)})


def _started(thread: content.Thread) -> datetime.timedelta:
    return max(ago(step.ago) for step in thread.steps)


def _play_threads(clinic: Clinic, progress) -> None:
    # Oldest first, so a patient's resolved conversation exists before their next one starts.
    threads = sorted(content.THREADS, key=_started, reverse=True)
    for index, thread in enumerate(threads, 1):
        _play(clinic, thread)
        if index % PROGRESS_EVERY == 0:
            progress(f"  {index}/{len(threads)} conversations")


def _play(clinic: Clinic, thread: content.Thread) -> None:
    handle = f"webchat:{uuid.UUID(int=clinic.rng.getrandbits(128))}"
    if thread.channel == "webchat" and not thread.stranger:
        _link_chat(clinic, thread, handle)
    conversation, first_reply_at, last_at = None, None, None
    for step in thread.steps:
        at = clinic.now - ago(step.ago)
        last_at = at
        if isinstance(step, content.In):
            conversation = inbox.receive_message(_inbound(clinic, thread, step.body, at, handle)).conversation
        elif isinstance(step, content.Reply):
            _backdate(inbox.send_reply(clinic.staff[step.by], conversation, step.body), at)
            first_reply_at = first_reply_at or at
        else:
            _backdate(inbox.add_internal_note(clinic.staff[step.by], conversation, step.body), at)
    conversation.refresh_from_db()
    _settle(clinic, thread, conversation)
    _backdate_conversation(conversation, first_reply_at, last_at, clinic.now)


def _link_chat(clinic: Clinic, thread: content.Thread, handle: str) -> None:
    """A claimed phone never links a chat visitor to a record by itself: the front desk checked who
    the visitor was and linked the session, as staff do in the console."""
    patients.add_contact_point(clinic.staff["agent"], clinic.patients[thread.patient], "chat", handle, verified=True)


def _inbound(clinic: Clinic, thread: content.Thread, body: str, at, handle: str) -> InboundMessage:
    if thread.stranger:
        kind, value, name = thread.stranger
    else:
        name = thread.patient
        kind, value = ("email", clinic.emails[name]) if thread.channel == "email" else ("phone", clinic.phones[name])
    if thread.channel == "webchat":
        return InboundMessage(
            channel="webchat",
            sender_kind="chat",
            sender_value=handle,
            body=body,
            received_at=at,
            sender_name=thread.chat_name or name,
            provider_message_id=f"demo-{uuid.UUID(int=clinic.rng.getrandbits(128))}",
        )
    return InboundMessage(
        channel=thread.channel,
        sender_kind=kind,
        sender_value=value,
        sender_name=name,
        body=body,
        received_at=at,
        provider_message_id=f"demo-{uuid.UUID(int=clinic.rng.getrandbits(128))}",
    )


def _settle(clinic: Clinic, thread: content.Thread, conversation: Conversation) -> None:
    """Assignment, labels, a staff-lowered priority and the final status, as the thread says."""
    actor = clinic.staff[thread.assignee or "agent"]
    team = Team.objects.get(slug=thread.team) if thread.team else None
    if thread.assignee and (conversation.assignee_id != actor.pk or team is not None):
        inbox.assign(actor, conversation, assignee=actor, team=team)
    if thread.labels:
        inbox.set_labels(actor, conversation, list(thread.labels))
    if thread.priority == "low":
        inbox.set_priority(actor, conversation, "low")
    if thread.status != conversation.status:
        until = clinic.now + ago(thread.snooze) if thread.snooze else None
        inbox.set_status(actor, conversation, thread.status, snoozed_until=until)


def _backdate(message: Message, at: datetime.datetime) -> None:
    # Staff actions stamp "now"; the demo's story happened over the last days. Only these timestamps
    # move: the audit rows keep the real time they were written (they are hash-chained).
    Message.objects.filter(pk=message.pk).update(created_at=at)


def _backdate_conversation(conversation: Conversation, first_reply_at, last_at, now) -> None:
    changes = {}
    if first_reply_at is not None:
        changes["first_response_at"] = first_reply_at
    if conversation.status == Conversation.Status.RESOLVED:
        changes["resolved_at"] = min(last_at + datetime.timedelta(minutes=5), now)
    if changes:
        Conversation.objects.filter(pk=conversation.pk).update(**changes)
