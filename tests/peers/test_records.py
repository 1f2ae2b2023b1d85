"""Expenditures (第5条4), courses, council reports and health-centre activities (第4条2)."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import HealthCentre, Role
from peers.models import Contract, CouncilReport, Course, Expenditure, HealthCentreActivity, Trainee
from peers.selectors import expenditure_totals
from tests.factories import HealthCentreOrganisationFactory, make_user
from tests.peers.factories import (
    ActivityFactory,
    ContractFactory,
    ExpenditureFactory,
    HealthCentreActivityFactory,
    PersonFactory,
    asaka,
    asaka_hospital,
)


def test_expenditure_totals_by_category_against_the_contract(contract_a, contractor_a):
    ExpenditureFactory(organisation=contractor_a, category="honoraria", amount=100_000)
    ExpenditureFactory(organisation=contractor_a, category="honoraria", amount=50_000)
    ExpenditureFactory(organisation=contractor_a, category="travel", amount=20_000)
    totals = expenditure_totals(contract_a)
    by_category = {category: total for category, _label, total in totals.rows}
    assert by_category["honoraria"] == 150_000
    assert by_category["travel"] == 20_000
    assert by_category["personnel"] == 0
    assert totals.total == 170_000
    assert totals.remaining == 3_000_000 - 170_000
    assert not totals.is_over


def test_contract_page_warns_when_expenditures_exceed_the_amount(client_for, coordinator_a, contract_a, contractor_a):
    ExpenditureFactory(organisation=contractor_a, category="personnel", amount=3_000_001)
    response = client_for(coordinator_a).get(reverse("peers:contract_detail", args=[contract_a.pk]))
    assert "契約金額（3,000,000円）を1円超えています" in response.text


def test_expenditure_list_shows_totals_and_over_warning(client_for, coordinator_a, contract_a, contractor_a):
    ExpenditureFactory(organisation=contractor_a, category="personnel", amount=3_100_000)
    response = client_for(coordinator_a).get(reverse("peers:expenditure_list"), {"fiscal_year": "2026"})
    assert "100,000円超えています" in response.text


def test_expenditure_list_filters_by_contract(client_for, coordinator_a, contract_a, contractor_a):
    """The 実績報告書 counts a contract's expenditures; its links filter the list by that contract."""
    earlier = ContractFactory(
        organisation=contractor_a, fiscal_year=2025, start_date=date(2025, 4, 1), end_date=date(2026, 3, 31)
    )
    ExpenditureFactory(organisation=contractor_a, payee="今年度の支払先")
    ExpenditureFactory(organisation=contractor_a, contract=earlier, date=date(2025, 10, 1), payee="前年度の支払先")
    response = client_for(coordinator_a).get(reverse("peers:expenditure_list"), {"contract": earlier.pk})
    assert "前年度の支払先" in response.text and "今年度の支払先" not in response.text


def test_expenditure_contract_filter_offers_only_visible_contracts(
    client_for, coordinator_a, contract_a, contract_b, contractor_b
):
    ExpenditureFactory(organisation=contractor_b, payee="Ｂ会の支払先")
    response = client_for(coordinator_a).get(reverse("peers:expenditure_list"), {"contract": contract_b.pk})
    assert response.status_code == 200
    assert str(contract_b) not in response.text
    assert "Ｂ会の支払先" not in response.text


def test_expenditure_outside_contract_period_is_refused(client_for, coordinator_a, contract_a):
    response = client_for(coordinator_a).post(
        reverse("peers:expenditure_create"),
        {"contract": contract_a.pk, "date": "2027-04-01", "category": "travel", "amount": "1000", "payee": "交通"},
    )
    assert "支出日は契約期間" in response.text
    assert not Expenditure.objects.exists()


def test_expenditure_cannot_use_another_contractors_contract(client_for, coordinator_a, contract_a, contract_b):
    response = client_for(coordinator_a).post(
        reverse("peers:expenditure_create"),
        {"contract": contract_b.pk, "date": "2026-05-01", "category": "travel", "amount": "1000", "payee": "交通"},
    )
    assert response.status_code == 200
    assert not Expenditure.objects.exists()


def test_prefecture_creates_a_contract_covering_districts(client_for, prefecture_user, contractor_a):
    response = client_for(prefecture_user).post(
        reverse("peers:contract_create"),
        {
            "organisation": contractor_a.pk,
            "fiscal_year": "2026",
            "amount": "4000000",
            "districts": [asaka().pk],
            "start_date": "2026-04-01",
            "end_date": "2027-03-31",
        },
    )
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert list(contract.districts.all()) == [asaka()]
    assert contract.organisation == contractor_a


def test_contract_period_must_be_inside_its_fiscal_year(client_for, prefecture_user, contractor_a):
    response = client_for(prefecture_user).post(
        reverse("peers:contract_create"),
        {
            "organisation": contractor_a.pk,
            "fiscal_year": "2026",
            "amount": "4000000",
            "districts": [asaka().pk],
            "start_date": "2026-03-01",
            "end_date": "2027-03-31",
        },
    )
    assert "開始日は令和8年度" in response.text
    assert not Contract.objects.exists()


def test_coordinator_reads_own_contract(client_for, coordinator_a, contract_a):
    response = client_for(coordinator_a).get(reverse("peers:contract_detail", args=[contract_a.pk]))
    assert response.status_code == 200
    assert "3,000,000円" in response.text
    assert reverse("peers:contract_update", args=[contract_a.pk]) not in response.text


def test_training_course_with_trainees_is_saved_together(client_for, coordinator_a):
    data = {
        "kind": "training",
        "date": "2026-09-05",
        "title": "養成講座",
        "venue": "公民館",
        "participants": "10",
        "trainees-TOTAL_FORMS": "2",
        "trainees-INITIAL_FORMS": "0",
        "trainees-MIN_NUM_FORMS": "0",
        "trainees-MAX_NUM_FORMS": "1000",
        "trainees-0-name": "受講 一子",
        "trainees-0-name_kana": "ジュコウ イチコ",
        "trainees-0-completed": "on",
    }
    response = client_for(coordinator_a).post(reverse("peers:course_create"), data)
    course = Course.objects.get()
    assert response.status_code == 302
    assert list(course.trainees.values_list("name", "completed")) == [("受講 一子", True)]


def test_awareness_course_cannot_have_trainees(client_for, coordinator_a):
    data = {
        "kind": "awareness",
        "date": "2026-09-05",
        "title": "ピアサポート講座",
        "venue": "公民館",
        "participants": "30",
        "trainees-TOTAL_FORMS": "1",
        "trainees-INITIAL_FORMS": "0",
        "trainees-MIN_NUM_FORMS": "0",
        "trainees-MAX_NUM_FORMS": "1000",
        "trainees-0-name": "受講 一子",
        "trainees-0-name_kana": "ジュコウ イチコ",
    }
    response = client_for(coordinator_a).post(reverse("peers:course_create"), data)
    assert "受講者は養成講座にのみ登録できます" in response.text
    assert not Course.objects.exists()
    assert not Trainee.objects.exists()


def test_council_report_is_recorded(client_for, coordinator_a):
    response = client_for(coordinator_a).post(
        reverse("peers:council_create"),
        {
            "date": "2026-10-15",
            "council": "精神障害者地域支援体制構築会議",
            "district": asaka().pk,
            "outcomes": "退院3名",
        },
        follow=True,
    )
    assert "登録しました。" in response.text
    assert CouncilReport.objects.get().organisation.code == "contractor-a"


@pytest.fixture
def asaka_hc(health_centre_user):
    return health_centre_user.organisation


@pytest.fixture
def other_hc_user(db):
    centre = HealthCentre.objects.get(name="熊谷保健所")
    return make_user(Role.HEALTH_CENTRE, HealthCentreOrganisationFactory(health_centre=centre), username="hc-kumagaya")


def test_health_centre_logs_its_own_activity(client_for, health_centre_user, asaka_hc):
    response = client_for(health_centre_user).post(
        reverse("peers:hc_activity_create"),
        {
            "date": "2026-10-20",
            "kind": "request",
            "title": "地域移行への協力依頼",
            "hospital": asaka_hospital().pk,
            "audience_hospitals": "3",
            "audience_municipalities": "0",
            "audience_providers": "0",
            "audience_residents": "0",
            "audience_others": "0",
        },
    )
    entry = HealthCentreActivity.objects.get()
    assert response.status_code == 302
    assert entry.organisation == asaka_hc
    assert entry.audience_total == 3


def test_hospital_request_needs_a_hospital(client_for, health_centre_user):
    response = client_for(health_centre_user).post(
        reverse("peers:hc_activity_create"),
        {"date": "2026-10-20", "kind": "request", "title": "依頼", "audience_hospitals": "1"},
    )
    assert "要請先の病院を選んでください" in response.text


def test_health_centre_sees_only_its_own_entries(client_for, health_centre_user, other_hc_user, asaka_hc):
    own = HealthCentreActivityFactory(organisation=asaka_hc, title="朝霞の研修会")
    other = HealthCentreActivityFactory(organisation=other_hc_user.organisation, title="熊谷の研修会")
    client = client_for(other_hc_user)
    assert client.get(reverse("peers:hc_activity_detail", args=[own.pk])).status_code == 404
    assert client.get(reverse("peers:hc_activity_update", args=[own.pk])).status_code == 404
    assert client.post(reverse("peers:hc_activity_delete", args=[own.pk])).status_code == 404
    page = client.get(reverse("peers:hc_activity_list"))
    assert "熊谷の研修会" in page.text
    assert "朝霞の研修会" not in page.text
    assert other.pk


def test_prefecture_sees_every_health_centres_entries(client_for, prefecture_user, other_hc_user, asaka_hc):
    HealthCentreActivityFactory(organisation=asaka_hc, title="朝霞の研修会")
    HealthCentreActivityFactory(organisation=other_hc_user.organisation, title="熊谷の研修会")
    page = client_for(prefecture_user).get(reverse("peers:hc_activity_list"))
    assert "朝霞の研修会" in page.text
    assert "熊谷の研修会" in page.text


def test_coordinators_cannot_see_health_centre_activities(client_for, coordinator_a, asaka_hc):
    entry = HealthCentreActivityFactory(organisation=asaka_hc)
    client = client_for(coordinator_a)
    assert client.get(reverse("peers:hc_activity_list")).status_code == 403
    assert client.get(reverse("peers:hc_activity_detail", args=[entry.pk])).status_code == 403


def test_person_code_is_unique_per_contractor(client_for, coordinator_a, coordinator_b):
    data = {"code": "A-001", "support_started_on": "2026-04-01"}
    assert client_for(coordinator_a).post(reverse("peers:person_create"), data).status_code == 302
    assert "既に使われています" in client_for(coordinator_a).post(reverse("peers:person_create"), data).text
    assert client_for(coordinator_b).post(reverse("peers:person_create"), data).status_code == 302


def test_discharge_before_support_start_is_refused(client_for, coordinator_a):
    response = client_for(coordinator_a).post(
        reverse("peers:person_create"),
        {"code": "A-009", "support_started_on": "2026-04-01", "discharged_on": "2026-03-01"},
    )
    assert "退院日は支援開始日以降にしてください。" in response.text


def test_hospital_list_downloads_as_excel(client_for, coordinator_a):
    import io

    from openpyxl import load_workbook

    response = client_for(coordinator_a).get(reverse("peers:hospital_list"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("区域（保健所）", "病院名", "所在地")
    assert any(row[0] == "朝霞保健所" for row in rows[1:])


def test_hospital_list_is_seeded_for_every_district(client_for, coordinator_a):
    response = client_for(coordinator_a).get(reverse("peers:hospital_list"))
    assert response.status_code == 200
    assert response.context["hospitals"].values("health_centre").distinct().count() == 17


def test_year_lock_refuses_expenditures_courses_and_councils(client_for, coordinator_a, contract_a, contractor_a):
    from accounts.models import PeriodLock, Program

    PeriodLock.objects.create(organisation=contractor_a, program=Program.PEER_SUPPORT, fiscal_year=2026)
    client = client_for(coordinator_a)
    expense = client.post(
        reverse("peers:expenditure_create"),
        {"contract": contract_a.pk, "date": "2026-05-01", "category": "travel", "amount": "1000", "payee": "交通"},
    )
    council = client.post(
        reverse("peers:council_create"),
        {"date": "2026-10-15", "council": "会議", "district": asaka().pk, "outcomes": "成果"},
    )
    for response in (expense, council):
        assert "実績報告書は承認済みのため" in response.text
    assert not Expenditure.objects.exists()
    assert not CouncilReport.objects.exists()


def test_health_centre_activity_list_has_constant_queries(
    client_for, health_centre_user, asaka_hc, django_assert_max_num_queries
):
    client = client_for(health_centre_user)
    HealthCentreActivityFactory(organisation=asaka_hc)
    with django_assert_max_num_queries(12):
        client.get(reverse("peers:hc_activity_list"))
    for _ in range(30):
        HealthCentreActivityFactory(organisation=asaka_hc, hospital=asaka_hospital(), kind="request")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("peers:hc_activity_list")).status_code == 200


def test_contract_list_shows_spending_against_the_amount(client_for, prefecture_user, contract_a, contractor_a):
    ExpenditureFactory(organisation=contractor_a, amount=3_200_000)
    response = client_for(prefecture_user).get(reverse("peers:contract_list"))
    assert "3,200,000円" in response.text
    assert "契約金額を超過" in response.text


def test_prefecture_registers_and_closes_a_hospital(client_for, prefecture_user):
    from accounts.models import AuditAction, AuditEvent, HealthCentre
    from peers.models import Hospital

    web = client_for(prefecture_user)
    asaka = HealthCentre.objects.get(name="朝霞保健所")
    created = web.post(
        reverse("peers:hospital_create"),
        {"health_centre": asaka.pk, "name": "新座みどり病院", "address": "新座市", "sort_order": 5, "is_active": "on"},
        follow=True,
    )
    assert "病院「新座みどり病院」を登録しました。" in created.text
    hospital = Hospital.objects.get(name="新座みどり病院")
    web.post(
        reverse("peers:hospital_update", args=[hospital.pk]),
        {"health_centre": asaka.pk, "name": "新座みどり病院", "address": "新座市", "sort_order": 5},
    )
    hospital.refresh_from_db()
    assert not hospital.is_active
    assert "新座みどり病院" in web.get(reverse("peers:hospital_list")).text  # the prefecture still sees it
    assert set(
        AuditEvent.objects.filter(object_type="peers.Hospital", object_id=str(hospital.pk)).values_list(
            "action", flat=True
        )
    ) == {AuditAction.CREATE, AuditAction.UPDATE}


def test_a_duplicate_hospital_name_in_a_district_is_refused_in_japanese(client_for, prefecture_user):
    from accounts.models import HealthCentre
    from peers.models import Hospital

    existing = Hospital.objects.select_related("health_centre").first()
    response = client_for(prefecture_user).post(
        reverse("peers:hospital_create"),
        {"health_centre": existing.health_centre_id, "name": existing.name, "sort_order": 0, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "既に存在します" in response.text
    assert Hospital.objects.filter(name=existing.name, health_centre=existing.health_centre).count() == 1
    assert HealthCentre.objects.exists()


def test_closed_hospitals_are_hidden_from_coordinators(client_for, coordinator_a):
    from peers.models import Hospital

    closed = Hospital.objects.first()
    closed.is_active = False
    closed.save()
    assert closed.name not in client_for(coordinator_a).get(reverse("peers:hospital_list")).text


@pytest.mark.parametrize("url_name", ["peers:hospital_create", "peers:hospital_update"])
def test_only_prefecture_staff_edit_hospitals(client_for, coordinator_a, health_centre_user, url_name):
    from peers.models import Hospital

    hospital = Hospital.objects.first()
    args = [hospital.pk] if url_name.endswith("update") else []
    for user in (coordinator_a, health_centre_user):
        web = client_for(user)
        assert web.get(reverse(url_name, args=args)).status_code == 403
        web.post(reverse(url_name, args=args), {"health_centre": hospital.health_centre_id, "name": "改ざん"})
    assert not Hospital.objects.filter(name="改ざん").exists()


def test_people_list_counts_each_persons_activities_and_the_latest(client_for, coordinator_a, contract_a, contractor_a):
    busy = PersonFactory(organisation=contractor_a, code="A-001")
    PersonFactory(organisation=contractor_a, code="A-002")
    for day in (date(2026, 5, 11), date(2026, 9, 7), date(2026, 6, 1)):
        ActivityFactory(organisation=contractor_a, date=day).people.add(busy)
    ActivityFactory(organisation=contractor_a, date=date(2026, 7, 1))  # nobody linked

    page = client_for(coordinator_a).get(reverse("peers:person_list"), {"sort": "-activity_count"})

    people = list(page.context["page"].object_list)
    assert [(p.code, p.activity_count, p.last_activity) for p in people] == [
        ("A-001", 3, date(2026, 9, 7)),
        ("A-002", 0, None),
    ]
    assert "令和8年9月7日" in page.text
