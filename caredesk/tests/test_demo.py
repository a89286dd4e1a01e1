from collections import Counter

import pytest
from django.apps import apps

from caredesk.accounts.models import User
from caredesk.audit.chain import verify
from caredesk.demo import DEMO_PASSWORD, demo_logins, ensure_demo_data
from caredesk.inbox.models import Conversation, Message
from caredesk.patients.models import Caregiver, Consent, Note, Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def progress():
    lines = []
    return lines.append, lines


def counts(queryset, field: str) -> dict:
    return dict(Counter(queryset.values_list(field, flat=True)))


def row_counts() -> dict:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_demo_clinic_has_the_documented_cast(progress):
    report, lines = progress

    assert ensure_demo_data(report) is True

    assert counts(User.objects, "role") == {
        "admin": 1,
        "supervisor": 1,
        "agent": 2,
        "nurse": 1,
        "billing": 2,
        "provider": 1,
        "auditor": 1,
        "integration": 1,
    }
    assert [u for u, _role in demo_logins()] == [
        "admin",
        "supervisor",
        "agent",
        "nurse",
        "billing",
        "provider",
        "auditor",
        "jordan",
        "rosa",
    ]
    assert all(User.objects.get(username=u).check_password(DEMO_PASSWORD) for u, _role in demo_logins())
    assert User.objects.get(username="integration").has_usable_password() is False
    team_sizes = {team.slug: team.members.count() for team in apps.get_model("accounts", "Team").objects.all()}
    assert team_sizes == {"front-desk": 3, "nursing": 3, "billing": 3}
    assert lines[0] == "creating teams and 9 staff"
    assert lines[-1] == "  30/38 conversations"


def test_demo_patients_and_their_records():
    ensure_demo_data(lambda text: None)

    assert Patient.objects.count() == 50
    assert counts(Patient.objects, "verified") == {True: 48, False: 2}
    assert counts(Patient.objects, "preferred_language") == {"en": 38, "es": 12}
    assert Patient.objects.filter(mrn__startswith="RFH-").count() == 48
    assert counts(Consent.objects, "status") == {"granted": 89, "withdrawn": 2}
    assert Caregiver.objects.count() == 6
    assert counts(Note.objects, "kind") == {"clinical": 5, "handoff": 3, "billing": 4}
    emails = Patient.objects.get(first_name="Ethan").contact_points.filter(kind="email")
    assert list(emails.values_list("value", flat=True)) == ["megan.sullivan@example.org"]


def test_demo_conversations_cover_every_status_priority_and_channel():
    ensure_demo_data(lambda text: None)

    assert Conversation.objects.count() == 38
    assert counts(Conversation.objects, "status") == {"open": 12, "pending": 10, "snoozed": 4, "resolved": 12}
    assert counts(Conversation.objects, "priority") == {"emergency": 3, "urgent": 7, "normal": 22, "low": 6}
    assert counts(Conversation.objects, "last_channel") == {"sms": 13, "email": 11, "webchat": 8, "phone": 4, "api": 2}
    assert counts(Conversation.objects, "language") == {"en": 30, "es": 8}
    assert Counter(Message.objects.values_list("author", "status")) == {
        ("patient", "received"): 44,
        ("staff", "queued"): 23,
        ("staff", "note"): 8,
        ("system", "queued"): 3,
    }
    safety = Message.objects.filter(author="system").values_list("conversation__priority", flat=True)
    assert list(safety) == ["emergency"] * 3
    assert Conversation.objects.filter(labels__name="complaint").count() == 1
    assert verify().ok is True


def test_demo_timeline_reads_in_order():
    ensure_demo_data(lambda text: None)

    walter = Conversation.objects.get(patient__first_name="Walter")
    authors = list(walter.messages.values_list("author", "internal"))
    assert authors == [("patient", False), ("system", False), ("staff", True), ("staff", False), ("patient", False)]
    replied = Conversation.objects.exclude(first_response_at=None)
    assert replied.count() == 23
    assert all(c.created_at < c.first_response_at for c in replied)
    for conversation in Conversation.objects.all():
        times = list(conversation.messages.order_by("id").values_list("created_at", flat=True))
        assert times == sorted(times)
    assert not Conversation.objects.filter(status="resolved", resolved_at=None).exists()


def test_second_run_creates_nothing():
    ensure_demo_data(lambda text: None)
    before = row_counts()

    assert ensure_demo_data(lambda text: None) is False
    assert row_counts() == before
