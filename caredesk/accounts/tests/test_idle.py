import time

import pytest

pytestmark = pytest.mark.django_db

IDLE_NOTICE = (
    "You were signed out after a period without activity, to protect patient information. Please sign in again."
)


@pytest.fixture
def agent_session(client, cast, sign_in, settings):
    settings.CAREDESK_IDLE_TIMEOUT_SECONDS = 60
    sign_in("agent")
    assert client.get("/").status_code == 200
    return client


def last_active(client, seconds_ago: float) -> None:
    # Rewind the stored activity time rather than waiting out the timeout.
    session = client.session
    session["last_activity"] = time.time() - seconds_ago
    session.save()


def test_idle_session_is_signed_out_with_a_notice(agent_session):
    last_active(agent_session, 61)

    response = agent_session.get("/")

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?idle=1")
    assert "_auth_user_id" not in agent_session.session
    page = agent_session.get(response["Location"])
    assert page.status_code == 200
    assert IDLE_NOTICE in page.content.decode()
    assert agent_session.get("/")["Location"] == "/accounts/login/?next=/"


def test_activity_within_the_window_keeps_the_session(agent_session):
    last_active(agent_session, 50)
    before = time.time()

    response = agent_session.get("/")

    assert response.status_code == 200
    # The request counts as activity: the clock restarts, so another 50 s of quiet is still fine.
    assert agent_session.session["last_activity"] >= before
    last_active(agent_session, 50)
    assert agent_session.get("/").status_code == 200


def test_sign_in_page_without_idle_flag_shows_no_notice(client, cast):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert IDLE_NOTICE not in response.content.decode()
