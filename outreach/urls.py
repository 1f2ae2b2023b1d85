from django.urls import path

from accounts.routing import crud_urls
from outreach.views import clients, contacts, lists, meetings, records, setup, summary

app_name = "outreach"

urlpatterns = [
    # clients and their records
    *crud_urls("clients", "client", clients, "Client", list_view=clients.client_list, csv_view=clients.client_csv),
    path("clients/<int:client_pk>/contacts/new/", contacts.ContactCreateView.as_view(), name="contact_create"),
    path("clients/<int:client_pk>/plans/new/", records.PlanCreateView.as_view(), name="plan_create"),
    path("clients/<int:client_pk>/linkages/new/", records.LinkageCreateView.as_view(), name="linkage_create"),
    path("clients/<int:client_pk>/outcomes/new/", records.OutcomeCreateView.as_view(), name="outcome_create"),
    *crud_urls(
        "contacts",
        "contact",
        contacts,
        "Contact",
        list_view=contacts.contact_list,
        csv_view=contacts.contact_csv,
        create=False,
    ),
    *crud_urls("plans", "plan", records, "Plan", list_view=lists.plan_list, csv_view=lists.plan_csv, create=False),
    path("plans/reviews/", lists.plan_review_list, name="plan_review_list"),
    path("plans/reviews/csv/", lists.plan_review_csv, name="plan_review_csv"),
    path("plans/<int:plan_pk>/reviews/new/", records.ReviewCreateView.as_view(), name="review_create"),
    path("reviews/<int:pk>/edit/", records.ReviewUpdateView.as_view(), name="review_update"),
    path("reviews/<int:pk>/delete/", records.ReviewDeleteView.as_view(), name="review_delete"),
    *crud_urls(
        "linkages",
        "linkage",
        records,
        "Linkage",
        list_view=lists.linkage_list,
        csv_view=lists.linkage_csv,
        create=False,
        detail=False,
    ),
    *crud_urls(
        "outcomes",
        "outcome",
        records,
        "Outcome",
        list_view=lists.outcome_list,
        csv_view=lists.outcome_csv,
        create=False,
        detail=False,
    ),
    # meetings
    *crud_urls(
        "meetings", "meeting", meetings, "Meeting", list_view=meetings.meeting_list, csv_view=meetings.meeting_csv
    ),
    path("summary/", summary.year_summary, name="summary"),
    # set-up
    *crud_urls("agencies", "agency", setup, "Agency", list_view=setup.agency_list),
    *crud_urls("contracts", "contract", setup, "Contract", list_view=setup.contract_list, detail=False),
    *crud_urls("workers", "worker", setup, "Worker", list_view=setup.worker_list, csv_view=setup.worker_csv),
    *crud_urls("resources", "resource", setup, "Resource", list_view=setup.resource_list, detail=False),
    path("cohort/", setup.cohort_settings, name="cohort"),
]
