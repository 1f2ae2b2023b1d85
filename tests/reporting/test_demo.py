from django.core.management import call_command

from accounts.models import PeriodLock
from accounts.wareki import fiscal_year_of
from reporting.models import AnnualReport, ReportTransition


def test_seed_demo_leaves_every_state_once_even_when_run_twice(db):
    call_command("seed_demo")
    counts = (AnnualReport.objects.count(), ReportTransition.objects.count(), PeriodLock.objects.count())
    call_command("seed_demo")
    assert (AnnualReport.objects.count(), ReportTransition.objects.count(), PeriodLock.objects.count()) == counts
    from django.utils import timezone

    year = fiscal_year_of(timezone.localdate()) - 1
    reports = AnnualReport.objects.filter(fiscal_year=year)
    assert {r.status for r in reports} == {"draft", "submitted", "returned", "approved"}
    approved = reports.get(status="approved")
    assert PeriodLock.objects.filter(
        organisation=approved.organisation, program=approved.program, fiscal_year=year
    ).exists()
    with approved.approved_pdf.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    returned = reports.get(status="returned")
    assert returned.transitions.filter(to_status="returned").exclude(comment="").exists()


def test_seed_demo_leaves_outreach_reports_in_several_states_with_figures(db):
    from django.utils import timezone

    from accounts.models import Program
    from reporting.registry import builder_for

    call_command("seed_demo")
    year = fiscal_year_of(timezone.localdate()) - 1
    reports = AnnualReport.objects.filter(fiscal_year=year, program=Program.OUTREACH)
    assert {"submitted", "draft"} <= {r.status for r in reports}
    submitted = reports.get(status="submitted")
    builder = builder_for(Program.OUTREACH)
    assert submitted.agency.organisation_id == submitted.organisation_id
    assert not [
        f for f in builder.checks(submitted.organisation, year, submitted, agency=submitted.agency) if f.is_error
    ]
    sections = {s.key: s for s in builder.build(submitted.organisation, year, agency=submitted.agency)["sections"]}
    assert sections["contacts_monthly"].footer[-1].value > 0
    assert sections["clients"].rows[-1][1].value > 0
