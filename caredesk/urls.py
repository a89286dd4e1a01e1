from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from caredesk.api import api
from caredesk.inbox import views as inbox_views

urlpatterns = [
    path("", inbox_views.home, name="home"),
    path("accounts/", include("caredesk.accounts.urls")),
    path("widget/", include("caredesk.integrations.webchat.urls")),
    # Admin's own login form would skip lockout and sign-in auditing: send it to ours.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
