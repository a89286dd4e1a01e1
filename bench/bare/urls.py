from django.urls import path

from bench.bare.views import inbound

urlpatterns = [path("api/v1/messages/inbound", inbound)]
