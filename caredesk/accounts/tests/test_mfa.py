import datetime
import re

import pyotp
import pytest

from caredesk.accounts.models import RecoveryCode, User

pytestmark = pytest.mark.django_db

ENROL_ERROR = "That code did not match. Check the time on your phone and try again."
VERIFY_ERROR = "That code did not work. Codes change every 30 seconds; try the newest one."


def secret_on_page(response) -> str:
    return re.search(r'data-testid="mfa-secret">([A-Z2-7]+)</code>', response.content.decode()).group(1)


def codes_on_page(response) -> list[str]:
    listing = re.search(r'data-testid="recovery-codes">(.*?)</ul>', response.content.decode()).group(1)
    return re.findall(r"<li>([^<]*)</li>", listing)


def wrong_code(secret: str) -> str:
    """A six-digit code that no step near now produces, with a margin for a step change mid-test."""
    totp = pyotp.TOTP(secret)
    step = totp.timecode(datetime.datetime.now())
    near = {totp.generate_otp(step + offset) for offset in range(-2, 3)}
    return next(code for code in (str(d) * 6 for d in range(10)) if code not in near)


def enrol(client) -> tuple[str, list[str]]:
    """Enrol the signed-in user through the enrolment page; returns the secret and recovery codes."""
    secret = secret_on_page(client.get("/accounts/mfa/enrol/"))
    response = client.post("/accounts/mfa/enrol/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    return secret, codes_on_page(response)


def enrolled(user) -> str:
    """Give `user` a TOTP secret directly, so a test can sign in without the enrolment steps."""
    secret = pyotp.random_base32()
    user.mfa_secret, user.mfa_enabled, user.mfa_last_counter = secret, True, 0
    user.save(update_fields=["mfa_secret", "mfa_enabled", "mfa_last_counter"])
    return secret


def verify(client, code):
    return client.post("/accounts/mfa/", {"code": code})


def sign_in_again(client, sign_in, username):
    client.post("/accounts/logout/")
    response = sign_in(username)
    assert (response.status_code, response["Location"]) == (302, "/accounts/mfa/")


def assert_code_refused(response, client):
    assert response.status_code == 400
    assert response.context["form"].errors == {"code": [VERIFY_ERROR]}
    assert client.get("/")["Location"] == "/accounts/mfa/"


def test_enrol_page_shows_a_new_secret(client, cast, sign_in):
    sign_in("agent")

    response = client.get("/accounts/mfa/enrol/")

    assert response.status_code == 200
    secret = secret_on_page(response)
    assert len(secret) == 32
    assert secret == client.session["mfa_enrol_secret"]
    assert User.objects.get(pk=cast["agent"].pk).mfa_enabled is False


def test_correct_code_enables_mfa_and_shows_ten_recovery_codes(client, cast, sign_in, audit_trail):
    sign_in("agent")

    secret, codes = enrol(client)

    assert len(codes) == 10
    assert len(set(codes)) == 10
    agent = User.objects.get(pk=cast["agent"].pk)
    assert (agent.mfa_enabled, agent.mfa_secret) == (True, secret)
    assert RecoveryCode.objects.filter(user=agent, used_at__isnull=True).count() == 10
    assert audit_trail(agent, "mfa.") == ["mfa.enrol"]


def test_wrong_code_at_enrolment_shows_the_field_error(client, cast, sign_in):
    sign_in("agent")
    secret = secret_on_page(client.get("/accounts/mfa/enrol/"))

    response = client.post("/accounts/mfa/enrol/", {"code": wrong_code(secret)})

    assert response.status_code == 400
    assert response.context["form"].errors == {"code": [ENROL_ERROR]}
    assert ENROL_ERROR in response.content.decode()
    # The same secret stays on the page so the user can try the next code from the app they set up.
    assert secret_on_page(response) == secret
    assert User.objects.get(pk=cast["agent"].pk).mfa_enabled is False


def test_enrolled_user_must_pass_mfa_before_the_inbox(client, cast, sign_in):
    secret = enrolled(cast["agent"])

    response = sign_in("agent")

    assert (response.status_code, response["Location"]) == (302, "/accounts/mfa/")
    assert client.get("/")["Location"] == "/accounts/mfa/"
    assert_code_refused(verify(client, wrong_code(secret)), client)
    response = verify(client, pyotp.TOTP(secret).now())
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/").status_code == 200


def test_unverified_session_cannot_change_duty_status(client, cast, sign_in):
    enrolled(cast["nurse"])
    sign_in("nurse")

    response = client.post("/accounts/duty/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/mfa/")
    assert User.objects.get(pk=cast["nurse"].pk).is_on_duty is True


def test_a_totp_code_works_only_once(client, cast, sign_in, audit_trail):
    secret = enrolled(cast["agent"])
    sign_in("agent")
    code = pyotp.TOTP(secret).now()
    assert verify(client, code)["Location"] == "/"

    sign_in_again(client, sign_in, "agent")

    assert_code_refused(verify(client, code), client)
    assert audit_trail(cast["agent"], "mfa.") == ["mfa.ok", "mfa.failed"]


def test_the_enrolment_code_cannot_be_replayed_at_sign_in(client, cast, sign_in):
    sign_in("agent")
    secret = secret_on_page(client.get("/accounts/mfa/enrol/"))
    code = pyotp.TOTP(secret).now()
    assert client.post("/accounts/mfa/enrol/", {"code": code}).status_code == 200

    sign_in_again(client, sign_in, "agent")

    assert_code_refused(verify(client, code), client)


def test_a_recovery_code_works_once_and_only_once(client, cast, sign_in, audit_trail):
    sign_in("agent")
    _secret, codes = enrol(client)
    sign_in_again(client, sign_in, "agent")

    response = verify(client, codes[0])

    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/").status_code == 200
    sign_in_again(client, sign_in, "agent")
    assert_code_refused(verify(client, codes[0]), client)
    # Codes are typed by hand: case and surrounding spaces do not matter.
    assert verify(client, f"  {codes[1].upper()} ")["Location"] == "/"
    assert RecoveryCode.objects.filter(user=cast["agent"], used_at__isnull=False).count() == 2
    assert audit_trail(cast["agent"], "mfa.") == [
        "mfa.enrol",
        "mfa.recovery_code_used",
        "mfa.failed",
        "mfa.recovery_code_used",
    ]


def test_required_mfa_sends_a_user_without_it_to_enrolment(client, cast, sign_in, settings):
    settings.CAREDESK_MFA_REQUIRED = True
    sign_in("agent")

    assert client.get("/")["Location"] == "/accounts/mfa/enrol/"
    enrol(client)
    assert client.get("/").status_code == 200


def test_required_mfa_leaves_an_enrolled_user_at_the_verify_step(client, cast, sign_in, settings):
    settings.CAREDESK_MFA_REQUIRED = True
    enrolled(cast["agent"])
    sign_in("agent")

    assert client.get("/")["Location"] == "/accounts/mfa/"
    assert client.get("/accounts/mfa/enrol/")["Location"] == "/accounts/mfa/"
