"""The demo clinic: teams, one staff member per role, patients and conversations."""

from django.db import transaction

from caredesk.accounts.models import Role, Team, User

DEMO_PASSWORD = "caredesk-demo-2026"

TEAMS = [
    ("Front desk", "front-desk", True, False),
    ("Nursing", "nursing", False, True),
    ("Billing", "billing", False, False),
]

STAFF = [
    ("admin", "Alex", "Admin", Role.ADMIN, []),
    ("supervisor", "Sam", "Rivera", Role.SUPERVISOR, ["front-desk", "nursing", "billing"]),
    ("agent", "Maya", "Chen", Role.AGENT, ["front-desk"]),
    ("nurse", "Noah", "Patel", Role.NURSE, ["nursing"]),
    ("billing", "Bea", "Okafor", Role.BILLING, ["billing"]),
    ("provider", "Dr. Lena", "Ortiz", Role.PROVIDER, ["nursing"]),
    ("auditor", "Ari", "Walsh", Role.AUDITOR, []),
]


def demo_logins() -> list[tuple[str, str]]:
    return [(username, role.label) for username, _f, _l, role, _t in STAFF]


@transaction.atomic
def ensure_demo_data(progress=print) -> bool:
    """Create the demo clinic unless staff already exist. Returns True when it created it."""
    if User.objects.exists():
        return False
    progress("creating teams and staff")
    teams = {}
    for name, slug, routine, urgent in TEAMS:
        teams[slug] = Team.objects.create(name=name, slug=slug, takes_routine=routine, takes_urgent=urgent)
    for username, first, last, role, team_slugs in STAFF:
        user = User.objects.create_user(
            username, password=DEMO_PASSWORD, first_name=first, last_name=last, role=role,
            is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN, is_on_duty=role in (Role.NURSE, Role.AGENT),
        )
        user.teams.set([teams[s] for s in team_slugs])
    return True
