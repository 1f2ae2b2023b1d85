from django.urls import path

from peers.views import activities, contracts, courses, records, supporters

app_name = "peers"


def crud(prefix: str, name: str, module, stem: str) -> list:
    """list / new / <pk> / <pk>/edit / <pk>/delete for one concept."""
    return [
        path(f"{prefix}/", getattr(module, f"{stem}ListView").as_view(), name=f"{name}_list"),
        path(f"{prefix}/new/", getattr(module, f"{stem}CreateView").as_view(), name=f"{name}_create"),
        path(f"{prefix}/<int:pk>/", getattr(module, f"{stem}DetailView").as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", getattr(module, f"{stem}UpdateView").as_view(), name=f"{name}_update"),
        path(f"{prefix}/<int:pk>/delete/", getattr(module, f"{stem}DeleteView").as_view(), name=f"{name}_delete"),
    ]


urlpatterns = [
    *crud("contracts", "contract", contracts, "Contract"),
    *crud("coordinators", "coordinator", contracts, "Coordinator"),
    *crud("supporters", "supporter", supporters, "Supporter"),
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
    *crud("activities", "activity", activities, "Activity"),
    *crud("people", "person", activities, "Person"),
    *crud("courses", "course", courses, "Course"),
    path("trainees/<int:pk>/register/", courses.trainee_register, name="trainee_register"),
    *crud("councils", "council", records, "Council"),
    *crud("expenditures", "expenditure", records, "Expenditure"),
    *crud("health-centre-activities", "hc_activity", records, "HealthCentreActivity"),
    path("hospitals/", records.HospitalListView.as_view(), name="hospital_list"),
]
