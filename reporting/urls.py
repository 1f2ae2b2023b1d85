from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("overview/", views.overview, name="overview"),
    path("start/", views.report_start, name="report_start"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/texts/", views.report_texts, name="report_texts"),
    path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("<int:pk>/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("<int:pk>/<slug:action>/", views.report_action, name="report_action"),
]
