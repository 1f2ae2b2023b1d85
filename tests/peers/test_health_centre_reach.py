"""Health-centre staff never reach a person supported's pseudonymous code (or a supporter's name):
by no URL of the project, no export and no report, not even of their own district."""

from __future__ import annotations

from django.urls import reverse

from accounts.wareki import fiscal_year_of
from tests.peers.factories import ACTIVITY_DAY, PersonFactory
from tests.test_url_isolation import pages_showing

CODE = "ZQ-7319"


def test_no_url_export_or_report_shows_a_code_to_health_centre_staff(
    client_for, health_centre_user, activity_a, supporter_a, contractor_a
):
    person = PersonFactory(organisation=contractor_a, code=CODE, note="退院に向けて面談")
    activity_a.people.add(person)
    assert activity_a.district_id == health_centre_user.organisation.health_centre_id  # their own district
    web = client_for(health_centre_user)
    district = reverse("reporting:district_summary", args=[health_centre_user.organisation.health_centre.code])
    own_report = web.get(district, {"fiscal_year": fiscal_year_of(ACTIVITY_DAY)})
    assert own_report.status_code == 200  # the walk below reaches a report with this activity in it
    assert CODE not in own_report.text and supporter_a.name not in own_report.text
    ids = {person.pk, activity_a.pk, supporter_a.pk}
    seen = pages_showing(web, [CODE, supporter_a.name], ids, query="format=csv")
    assert not seen, "\n".join(seen)


def test_the_owning_coordinator_does_see_the_code(client_for, coordinator_a, activity_a, contractor_a):
    person = PersonFactory(organisation=contractor_a, code=CODE)
    activity_a.people.add(person)
    assert CODE in client_for(coordinator_a).get(reverse("peers:activity_detail", args=[activity_a.pk])).text
