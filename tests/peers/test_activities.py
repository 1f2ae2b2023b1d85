from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import PeriodLock, Program
from peers.models import Activity, ActivityKind, ActivitySupporter, Hospital
from peers.services import activity_create
from tests.peers.factories import (
    ActivityFactory,
    ConditionsFactory,
    PledgeFactory,
    SupporterFactory,
    add_supporter,
    asaka,
    asaka_hospital,
)

LOCK_MESSAGE = "実績報告書は承認済みのため"


def post_data(coordinator_record, supporters=(), **overrides):
    data = {
        "kind": ActivityKind.HOSPITAL_GROUP,
        "date": "2026-11-02",
        "start_time": "13:30",
        "end_time": "15:00",
        "district": asaka().pk,
        "hospital": asaka_hospital().pk,
        "participants": "5",
        "coordinator": coordinator_record.pk,
        "notes": "",
        "supporters-TOTAL_FORMS": "3",
        "supporters-INITIAL_FORMS": "0",
        "supporters-MIN_NUM_FORMS": "0",
        "supporters-MAX_NUM_FORMS": "1000",
    }
    for index, (supporter, hours, pay) in enumerate(supporters):
        data[f"supporters-{index}-supporter"] = supporter.pk
        data[f"supporters-{index}-hours"] = hours
        data[f"supporters-{index}-pay"] = pay
    data.update(overrides)
    return data


@pytest.fixture
def entry(client_for, coordinator_a, contract_a, coordinator_record_a):
    return client_for(coordinator_a), coordinator_record_a


def test_coordinator_logs_an_activity_with_supporters_hours_and_pay(entry, supporter_a):
    client, coordinator = entry
    response = client.post(reverse("peers:activity_create"), post_data(coordinator, [(supporter_a, "1.5", "1650")]))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response.url == activity.get_absolute_url()
    row = activity.supporter_rows.get()
    assert (row.supporter, row.hours, row.pay) == (supporter_a, Decimal("1.5"), 1650)
    assert activity.contract.fiscal_year == 2026


def test_success_message_is_shown_after_saving(entry, supporter_a):
    client, coordinator = entry
    response = client.post(
        reverse("peers:activity_create"), post_data(coordinator, [(supporter_a, "1", "1000")]), follow=True
    )
    assert "活動記録を登録しました。" in response.text


def test_supporter_without_valid_pledge_is_refused_by_name_and_nothing_is_saved(entry, contractor_a):
    client, coordinator = entry
    unpledged = SupporterFactory(organisation=contractor_a, name="誓約 なし子", name_kana="セイヤク ナシコ")
    response = client.post(reverse("peers:activity_create"), post_data(coordinator, [(unpledged, "2", "2000")]))
    assert response.status_code == 200
    assert "ピアサポーター「誓約 なし子」は活動日（令和8年11月2日）に有効な誓約書がないため" in response.text
    assert Activity.objects.count() == 0
    assert ActivitySupporter.objects.count() == 0
    assert 'value="2026-11-02"' in response.text  # the user's input is kept


def test_pledge_signed_after_the_activity_date_does_not_count(entry, contractor_a):
    client, coordinator = entry
    supporter = SupporterFactory(organisation=contractor_a)
    PledgeFactory(supporter=supporter, signed_on=date(2026, 11, 3))
    response = client.post(reverse("peers:activity_create"), post_data(coordinator, [(supporter, "1", "1000")]))
    assert "有効な誓約書がないため" in response.text
    assert Activity.objects.count() == 0


def test_expired_or_withdrawn_pledge_does_not_count(contractor_a):
    supporter = SupporterFactory(organisation=contractor_a)
    expired = PledgeFactory(supporter=supporter, valid_until=date(2026, 3, 31))
    withdrawn = PledgeFactory(supporter=supporter, signed_on=date(2026, 4, 1), withdrawn_on=date(2026, 11, 2))
    assert not expired.is_valid_on(date(2026, 11, 2))
    assert not withdrawn.is_valid_on(date(2026, 11, 2))
    assert withdrawn.is_valid_on(date(2026, 11, 1))
    assert expired.is_valid_on(date(2026, 3, 31))


def test_a_later_pledge_renews_validity(contractor_a):
    supporter = SupporterFactory(organisation=contractor_a)
    PledgeFactory(supporter=supporter, valid_until=date(2026, 3, 31))
    PledgeFactory(supporter=supporter, signed_on=date(2026, 4, 1))
    assert supporter.pledges.valid_on(date(2026, 11, 2)).count() == 1


def test_service_enforces_pledge_rule_for_any_write_path(contract_a, coordinator_record_a, contractor_a):
    unpledged = SupporterFactory(organisation=contractor_a, name="誓約 なし子")
    with pytest.raises(ValidationError, match="誓約 なし子"):
        activity_create(
            organisation=contractor_a,
            by=None,
            supporters=[{"supporter": unpledged, "hours": Decimal("1"), "pay": 1000}],
            kind=ActivityKind.HOME_VISIT,
            date=date(2026, 11, 2),
            start_time="10:00",
            end_time="11:00",
            district=asaka(),
            coordinator=coordinator_record_a,
        )
    assert Activity.objects.count() == 0


def test_date_outside_any_contract_is_refused(entry, supporter_a):
    client, coordinator = entry
    response = client.post(
        reverse("peers:activity_create"), post_data(coordinator, [(supporter_a, "1", "1000")], date="2026-03-15")
    )
    assert "令和7年度の委託契約がありません" in response.text
    assert Activity.objects.count() == 0


def test_date_outside_the_contract_period_is_refused(client_for, coordinator_a, contractor_a, coordinator_record_a):
    from tests.peers.factories import ContractFactory

    ContractFactory(organisation=contractor_a, start_date=date(2026, 6, 1), end_date=date(2026, 12, 31))
    response = client_for(coordinator_a).post(
        reverse("peers:activity_create"), post_data(coordinator_record_a, date="2027-01-10")
    )
    assert "委託契約がありません" in response.text
    assert Activity.objects.count() == 0


def test_district_outside_the_contract_is_refused(entry):
    client, coordinator = entry
    kumagaya = Hospital.objects.filter(health_centre__name="熊谷保健所").first()
    response = client.post(
        reverse("peers:activity_create"),
        post_data(coordinator, district=kumagaya.health_centre_id, hospital=kumagaya.pk),
    )
    assert "委託契約の区域（朝霞保健所）に含まれていません" in response.text
    assert Activity.objects.count() == 0


def test_hospital_is_required_for_in_hospital_kinds(entry):
    client, coordinator = entry
    response = client.post(reverse("peers:activity_create"), post_data(coordinator, kind="outing", hospital=""))
    assert "同行外出（要綱第4条1(1)ア 精神科病院等での活動）では、病院を選んでください。" in response.text
    assert Activity.objects.count() == 0


def test_hospital_is_optional_after_discharge(entry):
    client, coordinator = entry
    response = client.post(reverse("peers:activity_create"), post_data(coordinator, kind="home_visit", hospital=""))
    assert response.status_code == 302
    assert Activity.objects.get().hospital is None


def test_end_time_must_follow_start_time(entry):
    client, coordinator = entry
    response = client.post(reverse("peers:activity_create"), post_data(coordinator, end_time="13:00"))
    assert "終了時刻は開始時刻より後にしてください。" in response.text
    assert Activity.objects.count() == 0


def test_blank_pay_is_computed_from_the_hourly_pay_told(entry, supporter_a):
    client, coordinator = entry
    ConditionsFactory(supporter=supporter_a, hourly_pay=1200)
    client.post(reverse("peers:activity_create"), post_data(coordinator, [(supporter_a, "1.5", "")]))
    assert ActivitySupporter.objects.get().pay == 1800


def test_same_supporter_twice_is_refused(entry, supporter_a):
    client, coordinator = entry
    response = client.post(
        reverse("peers:activity_create"),
        post_data(coordinator, [(supporter_a, "1", "1000"), (supporter_a, "2", "2000")]),
    )
    assert "が2回選ばれています" in response.text
    assert Activity.objects.count() == 0


def test_form_defaults_to_today_and_the_users_coordinator_record(entry):
    client, coordinator = entry
    response = client.get(reverse("peers:activity_create"))
    form = response.context["form"]
    assert form.initial["coordinator"] == coordinator.pk
    assert form.initial["district"] == asaka().pk


def test_supporter_choices_mark_those_without_pledge(entry, supporter_a, contractor_a):
    client, _ = entry
    SupporterFactory(organisation=contractor_a, name="誓約 なし子")
    response = client.get(reverse("peers:activity_create"))
    assert "誓約 なし子（" in response.text
    assert "（有効な誓約書なし）" in response.text


def test_copy_last_activity_prefills_everything_but_the_date(entry, activity_a, supporter_a):
    client, _ = entry
    response = client.get(reverse("peers:activity_create"), {"copy": "last"})
    assert response.context["form"].initial["hospital"] == activity_a.hospital_id
    assert response.context["formset"].initial[0]["supporter"] == supporter_a
    assert "前回の活動をコピーしました" in response.text


def test_edit_replaces_supporter_rows(entry, activity_a, supporter_a, contractor_a):
    client, coordinator = entry
    other = SupporterFactory(organisation=contractor_a)
    PledgeFactory(supporter=other)
    response = client.post(
        reverse("peers:activity_update", args=[activity_a.pk]),
        post_data(coordinator, [(other, "2", "2200")], **{"supporters-INITIAL_FORMS": "0"}),
    )
    assert response.status_code == 302
    assert [row.supporter for row in activity_a.supporter_rows.all()] == [other]


def test_delete_asks_for_confirmation_then_deletes(entry, activity_a):
    client, _ = entry
    confirm = client.get(reverse("peers:activity_delete", args=[activity_a.pk]))
    assert "削除すると元に戻せません" in confirm.text
    response = client.post(reverse("peers:activity_delete", args=[activity_a.pk]), follow=True)
    assert "削除しました。" in response.text
    assert not Activity.objects.exists()


@pytest.fixture
def locked_2026(contractor_a):
    return PeriodLock.objects.create(organisation=contractor_a, program=Program.PEER_SUPPORT, fiscal_year=2026)


def test_year_lock_refuses_creating_an_activity(entry, supporter_a, locked_2026):
    client, coordinator = entry
    response = client.post(reverse("peers:activity_create"), post_data(coordinator, [(supporter_a, "1", "1000")]))
    assert LOCK_MESSAGE in response.text
    assert "令和8年度" in response.text
    assert Activity.objects.count() == 0


def test_year_lock_refuses_editing_an_activity(entry, activity_a, locked_2026):
    client, coordinator = entry
    response = client.post(reverse("peers:activity_update", args=[activity_a.pk]), post_data(coordinator, notes="x"))
    assert LOCK_MESSAGE in response.text
    activity_a.refresh_from_db()
    assert activity_a.notes == ""


def test_year_lock_refuses_deleting_an_activity(entry, activity_a, locked_2026):
    client, _ = entry
    response = client.post(reverse("peers:activity_delete", args=[activity_a.pk]), follow=True)
    assert LOCK_MESSAGE in response.text
    assert Activity.objects.filter(pk=activity_a.pk).exists()


def test_month_view_lists_the_days_activities(entry, activity_a):
    client, _ = entry
    response = client.get(reverse("peers:activity_month"), {"month": "2026-11"})
    assert response.status_code == 200
    assert "2日（月）" in response.text
    assert "院内グループワーク" in response.text


def test_month_view_asks_prefecture_staff_to_choose_a_contractor(
    client_for, prefecture_user, activity_a, activity_b, contractor_a
):
    response = client_for(prefecture_user).get(reverse("peers:activity_month"), {"month": "2026-11"})
    assert response.status_code == 200
    assert "事業者名を選んでください" in response.text
    assert dict((c.name, n) for c, n in response.context["contractor_counts"]) == {
        "社会福祉法人Ａ会": 1,
        "特定非営利活動法人Ｂ": 1,
    }
    assert f"?month=2026-11&amp;contractor={contractor_a.pk}" in response.text
    assert "院内グループワーク" not in response.text  # no activity rows until a contractor is chosen


def test_month_view_shows_the_chosen_contractors_month_to_prefecture_staff(
    client_for, prefecture_user, activity_a, activity_b, contractor_a
):
    response = client_for(prefecture_user).get(
        reverse("peers:activity_month"), {"month": "2026-11", "contractor": contractor_a.pk}
    )
    assert response.context["contractor"] == contractor_a
    assert response.context["total"] == 1
    assert [a.pk for _day, _weekday, activities in response.context["days"] for a in activities] == [activity_a.pk]


def test_activity_list_filters_by_supporter_and_kind(
    entry, activity_a, supporter_a, contractor_a, coordinator_record_a
):
    client, _ = entry
    visit = ActivityFactory(
        organisation=contractor_a, coordinator=coordinator_record_a, kind=ActivityKind.HOME_VISIT, hospital=None
    )
    other = SupporterFactory(organisation=contractor_a)
    PledgeFactory(supporter=other)
    add_supporter(visit, other)
    by_supporter = client.get(reverse("peers:activity_list"), {"supporter": supporter_a.pk})
    assert [a.pk for a, _cells in by_supporter.context["rows"]] == [activity_a.pk]
    by_kind = client.get(reverse("peers:activity_list"), {"kind": "home_visit", "fiscal_year": "2026", "month": "11"})
    assert [a.pk for a, _cells in by_kind.context["rows"]] == [visit.pk]


def test_activity_csv_uses_the_page_filters(entry, activity_a):
    client, _ = entry
    matching = b"".join(client.get(reverse("peers:activity_list"), {"format": "csv", "month": "11"}).streaming_content)
    other = b"".join(client.get(reverse("peers:activity_list"), {"format": "csv", "month": "10"}).streaming_content)
    assert matching.startswith(b"\xef\xbb\xbf")
    assert "院内グループワーク" in matching.decode("utf-8-sig")
    assert "院内グループワーク" not in other.decode("utf-8-sig")


def test_hospital_choices_are_grouped_by_district(entry):
    client, _ = entry
    response = client.get(reverse("peers:activity_create"))
    assert '<optgroup label="朝霞保健所">' in response.text


def test_pledge_error_is_shown_on_the_supporters_row(entry, supporter_a, contractor_a):
    client, coordinator = entry
    unpledged = SupporterFactory(organisation=contractor_a, name="誓約 なし子")
    response = client.post(
        reverse("peers:activity_create"), post_data(coordinator, [(supporter_a, "1", "1000"), (unpledged, "1", "1000")])
    )
    rows = response.context["formset"].forms
    assert not rows[0].errors
    assert "誓約 なし子" in rows[1].errors["supporter"][0]
    assert "活動したピアサポーターの欄に誤りがあります" in response.text


def test_edit_and_delete_screens_of_a_frozen_year_warn_before_anything_is_typed(entry, activity_a, locked_2026):
    client, _ = entry
    for url_name in ("peers:activity_update", "peers:activity_delete"):
        response = client.get(reverse(url_name, args=[activity_a.pk]))
        assert response.status_code == 200
        assert LOCK_MESSAGE in response.text, url_name


def test_edit_screen_of_an_open_year_has_no_lock_warning(entry, activity_a):
    client, _ = entry
    assert LOCK_MESSAGE not in client.get(reverse("peers:activity_update", args=[activity_a.pk])).text
