from django.urls import path

from accounts import import_views, views, views_directory

app_name = "accounts"

urlpatterns = [
    path("organisations/", views.organisation_list_view, name="organisation_list"),
    path("organisations/new/", views_directory.organisation_edit, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views_directory.organisation_edit, name="organisation_edit"),
    path("organisations/<int:organisation_pk>/users/new/", views_directory.member_create, name="member_create"),
    path("users/<int:pk>/edit/", views_directory.member_edit, name="member_edit"),
    path("users/<int:pk>/password/", views_directory.member_password, name="member_password"),
    path("users/<int:pk>/two-factor/reset/", views_directory.member_two_factor_reset, name="member_two_factor_reset"),
    path("districts/", views.district_list, name="district_list"),
    path("audit/", views.audit_list, name="audit_list"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("imports/", import_views.import_index, name="import_index"),
    path("imports/<slug:key>/", import_views.import_upload, name="import_upload"),
    path("imports/<slug:key>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("imports/<slug:key>/template.xlsx", import_views.import_template, name="import_template"),
]
