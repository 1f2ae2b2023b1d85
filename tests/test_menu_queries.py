"""Every page `make bench` measures (each role's menu, a client timeline, a supporter, and each
program's annual report page and PDF) costs the same number of queries with more rows, and no page more than BOUND.

The benchmark shows the time at ten times the data; this keeps the query counts from creeping up
in `make test`, for pages added to a menu later too (the pages come from the menu itself).
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import navigation
from accounts.models import Program
from outreach.models import Client
from peers.models import PeerSupporter
from reporting.models import AnnualReport
from reporting.services import report_get_or_create_draft
from tests.outreach import factories as outreach
from tests.peers import factories as peers

BOUND = 40  # the annual report pages are the largest: one query per table of the report


def build(contractor, agency, worker, count: int, start: int) -> None:
    """`count` rows of every kind of both programs for the contractor."""
    coordinator = peers.CoordinatorFactory(organisation=contractor)
    for index in range(start, start + count):
        supporter = peers.SupporterFactory(organisation=contractor)
        peers.PledgeFactory(supporter=supporter)
        peers.ConditionsFactory(supporter=supporter)
        person = peers.PersonFactory(organisation=contractor, code=f"Q-{index:04d}")
        activity = peers.ActivityFactory(
            organisation=contractor, coordinator=coordinator, date=date(2026, 11, 1) + timedelta(days=index % 28)
        )
        activity.people.add(person)
        peers.add_supporter(activity, supporter)
        peers.TraineeFactory(course=peers.CourseFactory(organisation=contractor))
        peers.CouncilFactory(organisation=contractor)
        peers.ExpenditureFactory(organisation=contractor, amount=1000 + index)
        client = outreach.ClientFactory(agency=agency, worker=worker)
        outreach.ContactFactory(client=client, worker=worker)
        outreach.ReviewFactory(plan=outreach.PlanFactory(client=client))
        outreach.LinkageFactory(client=client)
        outreach.OutcomeFactory(client=client)
        outreach.MeetingFactory(agency=agency, clients=[client])


def pages_of(user) -> list[str]:
    urls = [item["url"] for _section, items in navigation.sections_for(user.role) for item in items]
    details = ((Client, "outreach:client_detail"), (PeerSupporter, "peers:supporter_detail"))
    for model, url_name in details:
        obj = model.objects.visible_to(user).order_by("pk").first()
        if obj is not None:
            urls.append(reverse(url_name, args=[obj.pk]))
    for program in (Program.PEER_SUPPORT, Program.OUTREACH):
        report = AnnualReport.objects.visible_to(user).filter(program=program).order_by("pk").first()
        if report is not None:
            urls += [
                reverse("reporting:report_detail", args=[report.pk]),
                reverse("reporting:report_pdf", args=[report.pk]),
            ]
    return urls


def queries(web, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = web.get(url, follow=True)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("persona", ["prefecture_user", "coordinator_a", "outreach_worker_a", "health_centre_user"])
def test_menu_pages_use_a_constant_number_of_queries(
    request, client_for, contractor_a, coordinator_a, outreach_worker_a, django_assert_max_num_queries, persona
):
    peers.ContractFactory(organisation=contractor_a)
    agency = outreach.AgencyFactory(organisation=contractor_a)
    worker = outreach.WorkerFactory(user=outreach_worker_a, agency=agency)
    report_get_or_create_draft(organisation=contractor_a, program=Program.PEER_SUPPORT, fiscal_year=2026, by=None)
    report_get_or_create_draft(
        organisation=contractor_a, program=Program.OUTREACH, fiscal_year=2026, by=None, agency=agency
    )
    user = request.getfixturevalue(persona)
    web = client_for(user)
    build(contractor_a, agency, worker, 2, 0)
    urls = pages_of(user)
    assert len(urls) > 3
    few = {url: queries(web, url) for url in urls}
    build(contractor_a, agency, worker, 12, 100)
    for url in urls:
        with django_assert_max_num_queries(min(few[url], BOUND), info=url):
            response = web.get(url, follow=True)
        assert response.status_code == 200, url
