from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "caredesk.inbox"
    label = "inbox"
