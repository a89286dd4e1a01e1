from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from caredesk.inbox.consumers import InboxConsumer
from caredesk.integrations.webchat.consumers import WebchatConsumer

websocket_urlpatterns = [
    # The widget runs on clinics' own sites, so its socket accepts any origin and no cookies.
    path("ws/webchat/", WebchatConsumer.as_asgi()),
    # Staff sockets ride on the session cookie, so only our own pages may open them.
    path("ws/inbox/", AllowedHostsOriginValidator(AuthMiddlewareStack(InboxConsumer.as_asgi()))),
]
