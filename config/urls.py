from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from accounts import views_two_factor as two_factor

admin.site.site_header = "埼玉県 事業管理システム 管理画面"
admin.site.site_title = "事業管理システム 管理"
admin.site.index_title = "管理メニュー"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", account_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/", two_factor.manage, name="two_factor_manage"),
    path("two-factor/backup-codes/", two_factor.regenerate_backup_codes, name="two_factor_backup_codes"),
    path("two-factor/disable/", two_factor.disable, name="two_factor_disable"),
    path("accounts/", include("accounts.urls")),
    path("peers/", include("peers.urls")),
    path("outreach/", include("outreach.urls")),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]
