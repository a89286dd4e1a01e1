import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from caredesk.accounts.models import User
from caredesk.conftest import PASSWORD

pytestmark = pytest.mark.django_db

GENERIC_ERROR = "That username and password did not match, or the account is locked. Try again later."


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def assert_refused(response, client):
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [GENERIC_ERROR]
    assert GENERIC_ERROR in response.content.decode()
    assert signed_in_user_id(client) is None


def lock(sign_in, username, times):
    for _ in range(times):
        assert sign_in(username, "not the password").status_code == 400


def test_correct_password_redirects_to_the_inbox(client, cast, sign_in, audit_trail):
    response = sign_in("agent")

    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in_user_id(client) == str(cast["agent"].pk)
    assert client.get("/").status_code == 200
    assert audit_trail(cast["agent"], "auth.") == ["auth.password_ok"]


def test_wrong_password_shows_the_generic_error(client, cast, sign_in, audit_trail):
    response = sign_in("agent", "Correct Horse Battery Staple")

    assert_refused(response, client)
    assert User.objects.get(pk=cast["agent"].pk).failed_logins == 1
    assert audit_trail(cast["agent"], "auth.") == ["auth.failed"]


def test_unknown_username_gets_the_same_error(client, cast, sign_in):
    assert_refused(sign_in("nobody"), client)


def test_lockout_refuses_even_the_correct_password(client, cast, sign_in, audit_trail, settings):
    settings.CAREDESK_LOCKOUT_THRESHOLD = 3
    settings.CAREDESK_LOCKOUT_SECONDS = 600
    before = timezone.now()

    lock(sign_in, "agent", 3)
    response = sign_in("agent")

    assert_refused(response, client)
    agent = User.objects.get(pk=cast["agent"].pk)
    lock_length = datetime.timedelta(seconds=600)
    assert before + lock_length <= agent.locked_until <= timezone.now() + lock_length
    assert audit_trail(agent, "auth.") == ["auth.failed"] * 3 + ["auth.lockout", "auth.locked_attempt"]


def test_failures_below_the_threshold_do_not_lock(client, cast, sign_in, settings):
    settings.CAREDESK_LOCKOUT_THRESHOLD = 3

    lock(sign_in, "agent", 2)
    response = sign_in("agent")

    assert (response.status_code, response["Location"]) == (302, "/")
    agent = User.objects.get(pk=cast["agent"].pk)
    assert (agent.failed_logins, agent.locked_until) == (0, None)


def test_lock_lifts_when_locked_until_passes(client, cast, sign_in, settings):
    settings.CAREDESK_LOCKOUT_THRESHOLD = 3
    lock(sign_in, "agent", 3)
    # Move the lock's end into the past instead of waiting for it.
    User.objects.filter(pk=cast["agent"].pk).update(locked_until=timezone.now() - datetime.timedelta(seconds=1))

    response = sign_in("agent")

    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in_user_id(client) == str(cast["agent"].pk)
    assert User.objects.get(pk=cast["agent"].pk).locked_until is None


def test_lockout_of_one_user_leaves_others_alone(client, cast, sign_in, settings):
    settings.CAREDESK_LOCKOUT_THRESHOLD = 3
    lock(sign_in, "agent", 3)

    response = sign_in("nurse")

    assert (response.status_code, response["Location"]) == (302, "/")


def test_integration_account_cannot_sign_in(client, cast, sign_in, audit_trail):
    response = sign_in("integration")

    assert_refused(response, client)
    assert audit_trail(cast["integration"], "auth.") == ["auth.failed"]


def test_deactivated_account_cannot_sign_in(client, cast, sign_in):
    User.objects.filter(pk=cast["agent"].pk).update(is_active=False)

    assert_refused(sign_in("agent"), client)


def test_passwords_are_stored_with_argon2(cast):
    assert {user.username: User.objects.get(pk=user.pk).password.split("$")[0] for user in cast.values()} == {
        name: "argon2" for name in cast
    }


def test_legacy_pbkdf2_hash_is_upgraded_to_argon2_at_sign_in(client, cast, sign_in, settings):
    # Accounts imported with an older hasher still sign in, and leave with an Argon2 hash.
    settings.PASSWORD_HASHERS = [*settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    User.objects.filter(pk=cast["agent"].pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))

    response = sign_in("agent")

    assert response.status_code == 302
    assert User.objects.get(pk=cast["agent"].pk).password.startswith("argon2$")


def test_sign_out_ends_the_session(client, cast, sign_in):
    sign_in("agent")

    response = client.post("/accounts/logout/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert signed_in_user_id(client) is None
    assert client.get("/")["Location"] == "/accounts/login/?next=/"


def test_admin_login_form_sends_people_to_caredesk_sign_in(client, cast):
    User.objects.filter(pk=cast["admin"].pk).update(is_staff=True, is_superuser=True)

    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD})

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/admin/")
    assert signed_in_user_id(client) is None
