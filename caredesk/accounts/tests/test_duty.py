import pytest

from caredesk.accounts.models import User

pytestmark = pytest.mark.django_db


def is_on_duty(user) -> bool:
    return User.objects.get(pk=user.pk).is_on_duty


def test_toggle_flips_duty_status_and_audits_it(client, cast, sign_in, audit_trail):
    nurse = cast["nurse"]
    sign_in("nurse")

    off = client.post("/accounts/duty/")
    after_off = is_on_duty(nurse)
    on = client.post("/accounts/duty/")

    assert [(off.status_code, off["Location"]), (on.status_code, on["Location"])] == [(302, "/"), (302, "/")]
    assert (after_off, is_on_duty(nurse)) == (False, True)
    assert audit_trail(nurse, "duty.") == ["duty.off", "duty.on"]


def test_toggle_returns_to_a_same_site_page(client, cast, sign_in):
    sign_in("agent")

    response = client.post("/accounts/duty/", {"next": "/?status=open"})

    assert (response.status_code, response["Location"]) == (302, "/?status=open")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_toggle_never_redirects_off_site(client, cast, sign_in, target):
    sign_in("agent")

    response = client.post("/accounts/duty/", {"next": target})

    assert (response.status_code, response["Location"]) == (302, "/")


def test_toggle_needs_post(client, cast, sign_in):
    sign_in("nurse")

    assert client.get("/accounts/duty/").status_code == 405
    assert is_on_duty(cast["nurse"]) is True


def test_toggle_needs_a_signed_in_user(client, cast):
    response = client.post("/accounts/duty/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/accounts/duty/")
    assert is_on_duty(cast["nurse"]) is True
