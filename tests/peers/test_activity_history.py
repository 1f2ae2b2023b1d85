"""An activity's history keeps its people and its supporters' hours and pay, not only its fields."""

from datetime import time
from decimal import Decimal

from django.urls import reverse

from accounts.history import change_history
from peers.models import Activity, ActivityKind
from peers.services import activity_create, activity_update
from tests.peers.factories import ACTIVITY_DAY, PersonFactory, PledgeFactory, SupporterFactory, asaka, asaka_hospital
from tests.peers.test_imports import ACTIVITY_HEADER, activity_row, csv_bytes, run


def _create(coordinator_record, by, supporters, people=()):  # needs the contract_a fixture
    return activity_create(
        organisation=coordinator_record.organisation,
        by=by,
        supporters=supporters,
        people=people,
        kind=ActivityKind.HOSPITAL_GROUP,
        date=ACTIVITY_DAY,
        start_time=time(13, 30),
        end_time=time(15, 0),
        district=asaka(),
        hospital=asaka_hospital(),
        participants=6,
        coordinator=coordinator_record,
    )


def _latest_changes(activity) -> list[tuple[str, str, str]]:
    return [(c.label, c.old, c.new) for c in change_history(activity)[0].changes]


def test_a_change_of_a_supporters_hours_is_in_the_history(contract_a, coordinator_record_a, coordinator_a, supporter_a):
    activity = _create(
        coordinator_record_a, coordinator_a, [{"supporter": supporter_a, "hours": Decimal("2"), "pay": 3300}]
    )
    activity_update(
        activity=activity, by=coordinator_a, supporters=[{"supporter": supporter_a, "hours": Decimal("3"), "pay": 3300}]
    )
    assert _latest_changes(activity) == [("ピアサポーター 仲間 一郎", "2.0時間", "3.0時間")]


def test_pay_and_a_supporter_added_or_removed_are_in_the_history(
    contract_a, contractor_a, coordinator_record_a, coordinator_a, supporter_a
):
    other = SupporterFactory(organisation=contractor_a, name="山田 花子", name_kana="ヤマダ ハナコ")
    PledgeFactory(supporter=other)
    activity = _create(
        coordinator_record_a, coordinator_a, [{"supporter": supporter_a, "hours": Decimal("1.5"), "pay": 1650}]
    )
    activity_update(
        activity=activity,
        by=coordinator_a,
        supporters=[
            {"supporter": supporter_a, "hours": Decimal("1.5"), "pay": 2000},
            {"supporter": other, "hours": Decimal("1.25"), "pay": 1375},
        ],
    )
    assert _latest_changes(activity) == [
        ("ピアサポーター 仲間 一郎", "謝金1,650円", "謝金2,000円"),
        ("ピアサポーター 山田 花子", "（なし）", "1.25時間・謝金1,375円"),
    ]
    activity_update(
        activity=activity, by=coordinator_a, supporters=[{"supporter": other, "hours": Decimal("1.25"), "pay": 1375}]
    )
    assert _latest_changes(activity) == [("ピアサポーター 仲間 一郎", "1.5時間・謝金2,000円", "（なし）")]


def test_the_people_linked_to_an_activity_are_in_the_history(
    contract_a, contractor_a, coordinator_record_a, coordinator_a, supporter_a
):
    first, second = (
        PersonFactory(organisation=contractor_a, code="A-001"),
        PersonFactory(organisation=contractor_a, code="A-002"),
    )
    rows = [{"supporter": supporter_a, "hours": Decimal("1.5"), "pay": 1650}]
    activity = _create(coordinator_record_a, coordinator_a, rows, people=[first])
    activity_update(activity=activity, by=coordinator_a, supporters=rows, people=[first, second], participants=7)
    assert _latest_changes(activity) == [("参加者数", "6", "7"), ("支援対象者", "A-001", "A-001、A-002")]
    assert len(change_history(activity)) == 2  # one history row per save, not one per many-to-many signal


def test_activity_page_shows_the_hours_change(contract_a, client_for, coordinator_record_a, coordinator_a, supporter_a):
    activity = _create(
        coordinator_record_a, coordinator_a, [{"supporter": supporter_a, "hours": Decimal("2"), "pay": 3300}]
    )
    activity_update(
        activity=activity, by=coordinator_a, supporters=[{"supporter": supporter_a, "hours": Decimal("3"), "pay": 3300}]
    )
    page = client_for(coordinator_a).get(reverse("peers:activity_detail", args=[activity.pk]))
    assert "ピアサポーター 仲間 一郎：2.0時間 → 3.0時間" in page.text


def test_an_import_writes_the_supporters_rows_into_the_history(
    contract_a, coordinator_record_a, supporter_a, coordinator_a
):
    organisation = contract_a.organisation
    first = csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_record_a, supporter_a, hours="1.5", pay="1650")])
    assert run("activities", "a.csv", first, organisation=organisation, user=coordinator_a).errors == []
    activity = Activity.objects.get()
    created = activity.history.get()
    assert created.related == {
        "people": [],
        "supporters": [{"id": supporter_a.pk, "name": "仲間 一郎", "hours": "1.50", "pay": 1650}],
    }
    again = csv_bytes(ACTIVITY_HEADER, [activity_row(coordinator_record_a, supporter_a, hours="2", pay="2200")])
    assert run("activities", "a.csv", again, organisation=organisation, user=coordinator_a).errors == []
    assert _latest_changes(activity) == [("ピアサポーター 仲間 一郎", "1.5時間・謝金1,650円", "2.0時間・謝金2,200円")]
    assert change_history(activity)[0].who == coordinator_a.display_name


def test_the_admin_records_the_supporters_rows_it_saved(contract_a, activity_a, supporter_a, prefecture_user):
    from types import SimpleNamespace

    from django.contrib import admin
    from django.test import RequestFactory

    from accounts.services import save_tenant_record

    save_tenant_record(activity_a, by=prefecture_user)  # the admin's save_model: a history row
    activity_a.supporter_rows.update(hours=Decimal("2.5"))  # then its inline rows are saved
    request = RequestFactory().post("/admin/")
    request.user = prefecture_user
    form = SimpleNamespace(instance=activity_a, save_m2m=lambda: None)
    admin.site._registry[Activity].save_related(request, form, formsets=[], change=True)
    assert activity_a.history.first().related["supporters"][0]["hours"] == "2.50"
