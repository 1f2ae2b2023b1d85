from django.urls import path

from reporting import district_views, peer_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("overview/", views.overview, name="overview"),
    path("start/", views.report_start, name="report_start"),
    path("districts/", district_views.district_index, name="district_index"),
    path("districts/<slug:code>/", district_views.district_summary, name="district_summary"),
    path("districts/<slug:code>/pdf/", district_views.district_pdf, name="district_pdf"),
    path("peer-support/figures/", peer_views.peer_figure_records, name="peer_figure_records"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/texts/", views.report_texts, name="report_texts"),
    path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("<int:pk>/xlsx/", views.report_xlsx, name="report_xlsx"),
    # One URL per workflow step (all served by report_action) so URL walkers see each of them.
    path("<int:pk>/submit/", views.report_action, {"action": "submit"}, name="report_submit"),
    path("<int:pk>/return/", views.report_action, {"action": "return"}, name="report_return"),
    path("<int:pk>/approve/", views.report_action, {"action": "approve"}, name="report_approve"),
    path("<int:pk>/reopen/", views.report_action, {"action": "reopen"}, name="report_reopen"),
]
