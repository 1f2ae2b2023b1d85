from django.urls import path

from accounts.routing import crud_urls
from peers.views import activities, contracts, courses, records, supporters

app_name = "peers"

urlpatterns = [
    *crud_urls("contracts", "contract", contracts, "Contract"),
    *crud_urls("coordinators", "coordinator", contracts, "Coordinator"),
    *crud_urls("supporters", "supporter", supporters, "Supporter"),
    path("supporters/<int:pk>/statement/", supporters.SupporterStatementView.as_view(), name="supporter_statement"),
    path(
        "supporters/<int:supporter_pk>/conditions/new/",
        supporters.ConditionsCreateView.as_view(),
        name="conditions_create",
    ),
    path("conditions/<int:pk>/edit/", supporters.ConditionsUpdateView.as_view(), name="conditions_update"),
    path("conditions/<int:pk>/delete/", supporters.ConditionsDeleteView.as_view(), name="conditions_delete"),
    path("supporters/<int:supporter_pk>/pledges/new/", supporters.PledgeCreateView.as_view(), name="pledge_create"),
    path("pledges/<int:pk>/edit/", supporters.PledgeUpdateView.as_view(), name="pledge_update"),
    path("pledges/<int:pk>/delete/", supporters.PledgeDeleteView.as_view(), name="pledge_delete"),
    path("pledges/<int:pk>/scan/", supporters.pledge_scan, name="pledge_scan"),
    path("activities/month/", activities.ActivityMonthView.as_view(), name="activity_month"),
    *crud_urls("activities", "activity", activities, "Activity"),
    *crud_urls("people", "person", activities, "Person"),
    *crud_urls("courses", "course", courses, "Course"),
    path("trainees/<int:pk>/register/", courses.trainee_register, name="trainee_register"),
    *crud_urls("councils", "council", records, "Council"),
    *crud_urls("expenditures", "expenditure", records, "Expenditure"),
    *crud_urls("health-centre-activities", "hc_activity", records, "HealthCentreActivity"),
    path("hospitals/", records.HospitalListView.as_view(), name="hospital_list"),
    path("hospitals/new/", records.HospitalCreateView.as_view(), name="hospital_create"),
    path("hospitals/<int:pk>/edit/", records.HospitalUpdateView.as_view(), name="hospital_update"),
]
