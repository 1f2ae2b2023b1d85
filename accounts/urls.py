from django.urls import path

from accounts import import_views, views

app_name = "accounts"

urlpatterns = [
    path("organisations/", views.organisation_list_view, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("districts/", views.district_list, name="district_list"),
    path("audit/", views.audit_list, name="audit_list"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("imports/", import_views.import_index, name="import_index"),
    path("imports/<slug:key>/", import_views.import_upload, name="import_upload"),
    path("imports/<slug:key>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("imports/<slug:key>/template.xlsx", import_views.import_template, name="import_template"),
]
