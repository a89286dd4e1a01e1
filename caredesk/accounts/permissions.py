"""The permission matrix: which role may do what, minimum necessary. docs/permissions.md explains it.

Conversation scope: "all" sees every conversation; "team" sees conversations routed to one of the
user's teams or assigned to the user. Patient demographics are not team-scoped: front desk must find
any patient, but clinical notes and audit data are role-gated.
"""

from django.core.exceptions import PermissionDenied

from caredesk.accounts.models import Role

A, S, AG, N, B, P, AU, IN = (
    Role.ADMIN,
    Role.SUPERVISOR,
    Role.AGENT,
    Role.NURSE,
    Role.BILLING,
    Role.PROVIDER,
    Role.AUDITOR,
    Role.INTEGRATION,
)

MATRIX: dict[str, frozenset[str]] = {
    "patient.view": frozenset({A, S, AG, N, B, P, IN}),
    "patient.create": frozenset({A, S, AG, N, IN}),
    "patient.edit": frozenset({A, S, AG, N, IN}),
    "patient.delete": frozenset({A, S}),
    "patient.merge": frozenset({A, S}),
    "note.view": frozenset({A, S, AG, N, B, P}),
    "note.view_clinical": frozenset({A, S, N, P}),
    "note.add": frozenset({A, S, AG, N, B, P}),
    "conversation.view": frozenset({A, S, AG, N, B, P}),
    "conversation.reply": frozenset({A, S, AG, N, B, P}),
    "conversation.manage": frozenset({A, S, AG, N, P}),
    "message.inbound": frozenset({A, IN}),
    "audit.view": frozenset({A, AU}),
    "accounts.manage": frozenset({A}),
}

CONVERSATION_SCOPE_ALL = frozenset({A, S})


def has_perm(user, perm: str) -> bool:
    if perm not in MATRIX:
        raise KeyError(f"unknown permission {perm}")
    return bool(user and user.is_authenticated and user.is_active and user.role in MATRIX[perm])


def sees_all_conversations(user) -> bool:
    return user.role in CONVERSATION_SCOPE_ALL


def require(user, perm: str) -> None:
    """For collection endpoints: a clear 403. Object lookups use access_* and answer 404."""
    if not has_perm(user, perm):
        raise PermissionDenied("Your role does not allow this.")
