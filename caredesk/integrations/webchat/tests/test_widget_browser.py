"""The embeddable widget in a real browser against the real server: a patient writes from the clinic's
web page, a staff member answers through the API, and the answer appears live and survives a reload."""

import json

import pytest

from caredesk.inbox.models import Message
from caredesk.testing.browser import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Can I move my appointment to Friday?"
ANSWER = "Yes, Friday at 10:30 works. See you then."
LIVE_TIMEOUT_MS = 10_000


@pytest.fixture
def page(browser, asgi_server):
    # A phone-sized screen: the widget is designed mobile first.
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=asgi_server)
    page = context.new_page()
    yield page
    context.close()


def open_widget(page):
    page.get_by_role("button", name="Chat with us / Chatee con nosotros").click()
    return page.get_by_role("list", name="Messages / Mensajes")


def start_chat(page):
    page.get_by_label("Your name / Su nombre").fill("Rosa Diaz")
    page.get_by_label("Phone number / Número de teléfono").fill("+1 555 010 0123")
    page.get_by_role("button", name="Start chat / Empezar el chat").click()


def send(page, body):
    page.get_by_label("Your message / Su mensaje").fill(body)
    page.get_by_role("button", name="Send / Enviar").click()


def test_patient_chats_with_the_front_desk_and_history_survives_a_reload(page, cast, api_as, screenshot):
    page.goto("/widget/demo/")
    log = open_widget(page)
    start_chat(page)
    expect(page.get_by_label("Your message / Su mensaje")).to_be_focused()
    send(page, QUESTION)

    expect(log.locator("li")).to_have_count(1)
    expect(log).to_contain_text(QUESTION)
    expect(log).not_to_contain_text("sending…", timeout=LIVE_TIMEOUT_MS)  # acknowledged, so stored
    message = Message.objects.select_related("conversation__team").get()
    assert (message.body, message.channel, message.author, message.direction) == (QUESTION, "webchat", "patient", "in")
    assert message.conversation.team.slug == "front-desk"
    screenshot(page, "1-sent")

    reply = api_as(cast["agent"]).post(f"/api/v1/conversations/{message.conversation_id}/replies", {"body": ANSWER})
    assert reply.status_code == 201

    expect(log).to_contain_text(ANSWER, timeout=LIVE_TIMEOUT_MS)
    expect(log.locator("li")).to_have_count(2)
    assert Message.objects.get(pk=reply.json()["id"]).status == "sent"
    screenshot(page, "2-reply")

    page.reload()
    log = open_widget(page)
    expect(log.locator("li")).to_have_count(2)
    expect(log.locator("li").nth(0)).to_contain_text(QUESTION)
    expect(log.locator("li").nth(0)).to_have_class("msg patient")  # the patient's side, on the right
    expect(log.locator("li").nth(1)).to_contain_text(ANSWER)
    expect(log.locator("li").nth(1)).to_have_class("msg clinic")
    expect(page.get_by_label("Your name / Su nombre")).to_be_hidden()
    screenshot(page, "3-after-reload")


def test_server_errors_show_next_to_their_field(page, screenshot):
    page.goto("/widget/demo/")
    open_widget(page)
    page.get_by_label("Your name / Su nombre").fill("Rosa Diaz")
    page.get_by_label("Phone number / Número de teléfono").fill("12")
    page.get_by_role("button", name="Start chat / Empezar el chat").click()

    phone = page.get_by_label("Phone number / Número de teléfono")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(
        "Enter a valid phone number, e.g. +1 555 010 0123. Give a phone number or an email. "
        "/ Dé un teléfono o un correo electrónico."
    )
    expect(phone).to_be_focused()
    screenshot(page, "phone-error")


def drop_first_ack(page):
    """Route the widget's socket through Playwright and cut it just before the first ack arrives,
    as a flaky mobile connection would: the message is stored, but the widget never hears so."""
    dropped = []

    def route(socket):
        server = socket.connect_to_server()

        def to_page(frame):
            if not dropped and json.loads(frame)["type"] == "ack":
                dropped.append(frame)
                socket.close()
                return
            socket.send(frame)

        server.on_message(to_page)

    page.route_web_socket("**/ws/webchat/", route)
    return dropped


def test_message_whose_ack_was_lost_is_resent_once_after_reconnecting(page, screenshot):
    dropped = drop_first_ack(page)
    page.goto("/widget/demo/")
    log = open_widget(page)
    start_chat(page)
    send(page, QUESTION)

    expect(log).not_to_contain_text("sending…", timeout=LIVE_TIMEOUT_MS)
    expect(log.locator("li")).to_have_count(1)
    expect(log).to_contain_text(QUESTION)
    message = Message.objects.get()
    assert (message.body, message.channel) == (QUESTION, "webchat")
    assert [json.loads(frame)["id"] for frame in dropped] == [message.pk]
    screenshot(page, "after-reconnect")
