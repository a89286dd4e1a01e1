from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "caredesk.integrations"
    label = "integrations"
