from django.urls import path

from caredesk.integrations.webchat import views

app_name = "webchat"
urlpatterns = [
    path("demo/", views.demo_page, name="demo"),
]
