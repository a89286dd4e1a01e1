"""Channel → provider class, listed explicitly. A channel without an entry cannot send."""

from functools import cache

from django.utils.module_loading import import_string

from caredesk.integrations.base import DeliveryError, Provider

PROVIDERS = {
    "api": "caredesk.integrations.api.provider.ApiProvider",
    "webchat": "caredesk.integrations.webchat.provider.WebchatProvider",
}


@cache
def get_provider(channel: str) -> Provider:
    try:
        path = PROVIDERS[channel]
    except KeyError:
        raise DeliveryError(f"No provider is configured for the {channel} channel.", permanent=True) from None
    return import_string(path)()
