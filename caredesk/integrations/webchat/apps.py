from django.apps import AppConfig


class WebchatConfig(AppConfig):
    name = "caredesk.integrations.webchat"
    label = "webchat"
