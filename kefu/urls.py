"""URL configuration: the API, the health check, the console pages and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kefu.api import api
from kefu.core.views import healthz, robots
from kefu.org import views as org_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="org/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", org_views.home, name="home"),
    path("settings/api-keys/", org_views.api_keys, name="api-keys"),
    path("settings/api-keys/<int:key_id>/revoke/", org_views.api_key_revoke, name="api-key-revoke"),
    path("admin/", admin.site.urls),
]
