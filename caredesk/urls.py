from django.contrib import admin
from django.urls import include, path

from caredesk.api import api
from caredesk.inbox import views as inbox_views

urlpatterns = [
    path("", inbox_views.home, name="home"),
    path("accounts/", include("caredesk.accounts.urls")),
    path("widget/", include("caredesk.integrations.webchat.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
