from django.urls import path

from caredesk.integrations.webchat.consumers import WebchatConsumer

websocket_urlpatterns = [
    path("ws/webchat/", WebchatConsumer.as_asgi()),
]
