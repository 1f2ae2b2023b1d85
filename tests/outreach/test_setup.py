"""Prefecture staff set up agencies, contracts, workers, resources and the cohort."""

from datetime import date

from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, Municipality, Role
from outreach.models import Agency, Client, CohortSetting, OutreachContract, OutreachWorker, SocialResource
from tests.factories import make_user
from tests.outreach.factories import ClientFactory, ResourceFactory


def test_prefecture_registers_an_agency_with_its_municipalities(client_for, prefecture_user, contractor_a):
    towns = list(Municipality.objects.filter(name__in=["宮代町", "杉戸町"]))
    response = client_for(prefecture_user).post(
        reverse("outreach:agency_create"),
        {"organisation": contractor_a.pk, "name": "Ａ会 東部センター", "municipalities": [t.pk for t in towns]},
        follow=True,
    )
    assert "機関を登録しました。" in response.text
    agency = Agency.objects.get()
    assert agency.organisation == contractor_a
    assert set(agency.municipalities.all()) == set(towns)
    assert "宮代町" in response.text


def test_agency_needs_a_municipality(client_for, prefecture_user, contractor_a):
    response = client_for(prefecture_user).post(
        reverse("outreach:agency_create"), {"organisation": contractor_a.pk, "name": "Ａ会 東部センター"}
    )
    assert "担当市町村を1つ以上選んでください。" in response.text
    assert not Agency.objects.exists()


def test_prefecture_registers_a_contract_within_the_year(client_for, prefecture_user, agency_a):
    web = client_for(prefecture_user)
    data = {"agency": agency_a.pk, "fiscal_year": 2026, "amount": 9800000, "start_date": "2026-04-01"}
    response = web.post(reverse("outreach:contract_create"), {**data, "end_date": "2027-04-30"})
    assert "令和8年度の範囲内" in response.text
    response = web.post(reverse("outreach:contract_create"), {**data, "end_date": "2027-03-31"}, follow=True)
    assert "委託契約を登録しました。" in response.text
    contract = OutreachContract.objects.get()
    assert contract.organisation == agency_a.organisation
    assert "9,800,000円" in response.text


def test_contractor_reads_its_contract_but_cannot_change_it(client_for, outreach_worker_a, worker_a):
    from tests.outreach.factories import ContractFactory

    contract = ContractFactory(agency=worker_a.agency)
    web = client_for(outreach_worker_a)
    assert "12,000,000円" in web.get(reverse("outreach:contract_list")).text
    assert web.get(reverse("outreach:contract_update", args=[contract.pk])).status_code == 403
    assert web.post(reverse("outreach:contract_delete", args=[contract.pk])).status_code == 403


def worker_data(user, agency, **fields):
    return {"user": user.pk, "agency": agency.pk, "is_active": "on", **fields}


def test_prefecture_places_a_worker_and_the_form_names_the_unmet_threshold(
    client_for, prefecture_user, outreach_worker_a, agency_a
):
    web = client_for(prefecture_user)
    response = web.post(
        reverse("outreach:worker_create"),
        worker_data(
            outreach_worker_a,
            agency_a,
            qualification="i",
            licence="psw",
            field_years=6,
            hardship_consultation_years=2,
        ),
    )
    assert "生活困窮者への相談支援業務の従事年数が3年未満です（2年）。3年以上が必要です。" in response.text
    assert not OutreachWorker.objects.exists()
    response = web.post(
        reverse("outreach:worker_create"),
        worker_data(
            outreach_worker_a, agency_a, qualification="i", licence="psw", field_years=6, hardship_consultation_years=3
        ),
        follow=True,
    )
    assert "アウトリーチ支援員を登録しました。" in response.text
    assert OutreachWorker.objects.get().organisation == agency_a.organisation


def test_worker_cannot_be_placed_in_another_contractors_agency(
    client_for, prefecture_user, outreach_worker_a, agency_b
):
    response = client_for(prefecture_user).post(
        reverse("outreach:worker_create"),
        worker_data(outreach_worker_a, agency_b, qualification="u", consultation_years=5),
    )
    assert "利用者の所属する受託事業者の機関を選んでください。" in response.text


def test_only_outreach_workers_are_offered(client_for, prefecture_user, outreach_worker_a, coordinator_a):
    response = client_for(prefecture_user).get(reverse("outreach:worker_create"))
    assert outreach_worker_a.username in response.text
    assert coordinator_a.username not in response.text


def test_worker_sees_own_agencys_workers_only(client_for, worker_a, worker_a2, worker_b):
    response = client_for(worker_a.user).get(reverse("outreach:worker_list"))
    names = [w.pk for w in response.context["page"].object_list]
    assert names == [worker_a.pk]


def test_prefecture_keeps_the_resource_directory(client_for, prefecture_user, outreach_worker_a, worker_a):
    web = client_for(prefecture_user)
    response = web.post(
        reverse("outreach:resource_create"),
        {"name": "居場所カフェ テスト", "kind": "place_to_belong", "is_active": "on"},
        follow=True,
    )
    assert "社会資源を登録しました。" in response.text
    assert SocialResource.objects.filter(name="居場所カフェ テスト").exists()
    assert client_for(outreach_worker_a).get(reverse("outreach:resource_create")).status_code == 403


def test_resource_in_use_cannot_be_deleted(client_for, prefecture_user, records_a):
    resource = records_a["linkage"].resource
    response = client_for(prefecture_user).post(reverse("outreach:resource_delete", args=[resource.pk]), follow=True)
    assert "つなぎの記録があるため削除できません" in response.text
    assert SocialResource.objects.filter(pk=resource.pk).exists()


def test_unused_resource_is_deleted_after_confirmation(client_for, prefecture_user):
    resource = ResourceFactory()
    web = client_for(prefecture_user)
    assert "よろしいですか" in web.get(reverse("outreach:resource_delete", args=[resource.pk])).text
    web.post(reverse("outreach:resource_delete", args=[resource.pk]))
    assert not SocialResource.objects.filter(pk=resource.pk).exists()


def test_changing_the_cohort_reclassifies_clients(client_for, prefecture_user, agency_a):
    client = ClientFactory(agency=agency_a, birth_date=date(1987, 6, 1), outside_cohort_reason="理由")
    Client.objects.filter(pk=client.pk).update(in_cohort=False)
    response = client_for(prefecture_user).post(
        reverse("outreach:cohort"),
        {"birth_from": "1970-04-02", "birth_to": "1988-04-01", "school_leaving_from": 1993, "school_leaving_to": 2006},
        follow=True,
    )
    assert "就職氷河期世代の範囲を変更しました。" in response.text
    assert CohortSetting.current().birth_to == date(1988, 4, 1)
    client.refresh_from_db()
    assert client.in_cohort is True
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="outreach.CohortSetting").exists()


def test_workers_read_but_cannot_change_the_cohort(client_for, outreach_worker_a):
    web = client_for(outreach_worker_a)
    response = web.get(reverse("outreach:cohort"))
    assert "昭和45年4月2日" in response.text
    assert "<form" not in response.text.split('id="main"')[1]
    assert web.post(reverse("outreach:cohort"), {"birth_from": "1960-01-01"}).status_code == 403


def test_home_panel_counts_month_contacts_stale_clients_and_due_plans(client_for, outreach_worker_a, worker_a):
    from django.utils import timezone

    from tests.outreach.factories import ContactFactory, PlanFactory

    today = timezone.localdate()
    fresh = ClientFactory(agency=worker_a.agency, registered_on=date(2025, 4, 1))
    ContactFactory(client=fresh, date=today)
    ClientFactory(agency=worker_a.agency, registered_on=date(2025, 4, 1))  # never contacted: stale
    PlanFactory(client=fresh, made_on=date(2025, 4, 2), next_review_on=today)
    response = client_for(outreach_worker_a).get(reverse("home"))
    panel = next(p for p in response.context["panels"] if p["template"] == "outreach/home_panel.html")
    assert (panel["month_contacts"], panel["stale_clients"], panel["plans_due"]) == (1, 1, 1)


def test_unplaced_worker_home_says_so(client_for, db, contractor_a):
    user = make_user(Role.OUTREACH_WORKER, contractor_a)
    assert "まだ自立相談支援機関に配置されていません" in client_for(user).get(reverse("home")).text


def test_a_second_contract_for_the_same_year_is_refused(client_for, prefecture_user, agency_a):
    from tests.outreach.factories import ContractFactory

    ContractFactory(agency=agency_a, fiscal_year=2025)
    response = client_for(prefecture_user).post(
        reverse("outreach:contract_create"),
        {
            "agency": agency_a.pk,
            "fiscal_year": 2025,
            "amount": 1,
            "start_date": "2025-04-01",
            "end_date": "2026-03-31",
        },
    )
    assert "この機関の令和7年度の契約は既に登録されています。" in response.text
