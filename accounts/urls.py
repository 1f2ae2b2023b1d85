from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("organisations/", views.organisation_list_view, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("districts/", views.district_list, name="district_list"),
    path("audit/", views.audit_list, name="audit_list"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
]
