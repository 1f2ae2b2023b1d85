"""What a user sees and what is saved when they use the pages."""

from datetime import date, time

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent, PeriodLock, Program
from outreach.models import Client, Contact, Outcome, SupportMeeting
from tests.outreach.factories import ClientFactory, ContactFactory, ResourceFactory


def client_post_data(**overrides):
    from accounts.models import Municipality

    data = {
        "registered_on": "2026-05-01",
        "name": "鈴木 一郎",
        "name_kana": "すずき いちろう",
        "birth_date": "1980-01-15",
        "sex": "male",
        "municipality": Municipality.objects.order_by("pk").first().pk,
        "referral_route": "family",
        "in_hardship": "on",
        "criterion_hikikomori": "on",
        "status": "new",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def contact_post_data(**overrides):
    data = {
        "date": "2026-05-09",  # a Saturday
        "start_time": "16:00",
        "end_time": "17:30",
        "kind": "home_visit",
        "with_person": "on",
        "first_connection": "on",
        "summary": "自宅を訪問し、本人と初めて会えた。",
    }
    data.update(overrides)
    return data


def test_worker_registers_a_client_with_a_number_and_normalised_reading(client_for, outreach_worker_a, worker_a):
    response = client_for(outreach_worker_a).post(reverse("outreach:client_create"), client_post_data(), follow=True)
    assert "支援対象者を登録しました。" in response.text
    client = Client.objects.get(name="鈴木 一郎")
    assert client.agency == worker_a.agency
    assert client.organisation == worker_a.agency.organisation
    assert client.number == "2026-0001"
    assert client.name_kana == "スズキ イチロウ"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="outreach.Client").exists()


def test_out_of_cohort_client_without_reason_keeps_the_input_and_explains(client_for, outreach_worker_a, worker_a):
    response = client_for(outreach_worker_a).post(
        reverse("outreach:client_create"), client_post_data(birth_date="1990-01-01")
    )
    assert response.status_code == 200
    assert "範囲外" in response.text or "範囲（" in response.text
    assert "支援対象とする理由を入力してください" in response.text
    assert 'value="鈴木 一郎"' in response.text
    assert not Client.objects.exists()


def test_out_of_cohort_client_with_reason_is_registered(client_for, outreach_worker_a, worker_a):
    client_for(outreach_worker_a).post(
        reverse("outreach:client_create"),
        client_post_data(birth_date="1990-01-01", outside_cohort_reason="兄の支援と一体で関わる必要があるため"),
    )
    assert Client.objects.get().in_cohort is False


def test_unplaced_worker_is_told_to_ask_the_prefecture(client_for, outreach_worker_a):
    response = client_for(outreach_worker_a).get(reverse("outreach:client_create"), follow=True)
    assert "機関に配置されていない" in response.text


def test_quick_add_classifies_the_contact(client_for, outreach_worker_a, client_a):
    response = client_for(outreach_worker_a).post(
        reverse("outreach:contact_create", args=[client_a.pk]), contact_post_data(), follow=True
    )
    assert "対応記録を登録しました。" in response.text
    contact = Contact.objects.get()
    assert contact.is_weekend and contact.is_after_hours and not contact.is_holiday
    assert contact.first_connection
    assert "土日" in response.text and "時間外" in response.text


def test_contact_with_end_before_start_is_refused_in_japanese(client_for, outreach_worker_a, client_a):
    response = client_for(outreach_worker_a).post(
        reverse("outreach:contact_create", args=[client_a.pk]), contact_post_data(end_time="15:00")
    )
    assert "終了時刻は開始時刻より後にしてください。" in response.text
    assert not Contact.objects.exists()


def test_client_timeline_shows_every_kind_newest_first(client_for, outreach_worker_a, records_a):
    ContactFactory(client=records_a["client"], date=date(2026, 1, 2), summary="年始の電話")
    response = client_for(outreach_worker_a).get(reverse("outreach:client_detail", args=[records_a["client"].pk]))
    text = response.text
    for label in ["支援計画の作成", "支援計画の見直し", "支援調整会議", "つなぎ", "成果：居場所への参加", "年始の電話"]:
        assert label in text
    assert text.index("年始の電話") < text.index("支援計画の作成")
    assert "年末年始" in text


# ---- audit ----


def test_viewing_a_client_is_audited(client_for, prefecture_user, client_a):
    client_for(prefecture_user).get(reverse("outreach:client_detail", args=[client_a.pk]))
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="outreach.Client")
    assert event.object_id == str(client_a.pk)
    assert event.username == "pref"


def test_changing_a_client_is_audited(client_for, outreach_worker_a, client_a):
    response = client_for(outreach_worker_a).post(
        reverse("outreach:client_update", args=[client_a.pk]),
        client_post_data(number=client_a.number, name="山田 次郎", worker=client_a.worker_id),
        follow=True,
    )
    assert "支援対象者の情報を変更しました。" in response.text
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(client_a.pk)).exists()


def test_csv_export_is_audited_and_bom_prefixed(client_for, outreach_worker_a, client_a):
    response = client_for(outreach_worker_a).get(reverse("outreach:client_csv"), {"q": "ﾔﾏﾀﾞ"})
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    assert "山田 太郎" in body.decode("utf-8-sig")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.object_type == "outreach.Client"
    assert "q=" in event.detail


# ---- search and filters ----


@pytest.mark.parametrize("query", ["ﾔﾏﾀﾞ", "やまだ", "ヤマダ"])
def test_client_list_search_is_width_and_kana_insensitive(client_for, outreach_worker_a, client_a, query):
    ClientFactory(agency=client_a.agency, name="佐藤 花子", name_kana="サトウ ハナコ")
    response = client_for(outreach_worker_a).get(reverse("outreach:client_list"), {"q": query})
    assert "山田 太郎" in response.text
    assert "佐藤 花子" not in response.text


def test_contact_list_filters_by_flag_and_month(client_for, outreach_worker_a, client_a):
    ContactFactory(client=client_a, date=date(2025, 5, 6), summary="祝日")
    ContactFactory(client=client_a, date=date(2025, 6, 11), start_time=time(18, 0), end_time=time(19, 0))
    ContactFactory(client=client_a, date=date(2025, 6, 12))
    web = client_for(outreach_worker_a)
    assert web.get(reverse("outreach:contact_list"), {"flag": "holiday"}).context["page"].paginator.count == 1
    assert web.get(reverse("outreach:contact_list"), {"flag": "any"}).context["page"].paginator.count == 2
    assert web.get(reverse("outreach:contact_list"), {"month": "2025-06"}).context["page"].paginator.count == 2
    csv = b"".join(web.get(reverse("outreach:contact_csv"), {"flag": "after_hours"}).streaming_content).decode()
    assert csv.count("\n") == 2  # header + one row


# ---- year lock ----


@pytest.fixture
def locked_2025(contractor_a):
    return PeriodLock.objects.create(organisation=contractor_a, program=Program.OUTREACH, fiscal_year=2025)


def test_year_lock_refuses_a_new_contact(client_for, outreach_worker_a, client_a, locked_2025):
    response = client_for(outreach_worker_a).post(
        reverse("outreach:contact_create", args=[client_a.pk]), contact_post_data(date="2025-06-10")
    )
    assert "令和7年度の自立相談支援機能強化事業の実績報告書は承認済み" in response.text
    assert not Contact.objects.exists()


def test_year_lock_refuses_editing_and_deleting_a_contact(client_for, outreach_worker_a, client_a, locked_2025):
    contact = ContactFactory(client=client_a, date=date(2025, 6, 10))
    web = client_for(outreach_worker_a)
    response = web.post(reverse("outreach:contact_update", args=[contact.pk]), contact_post_data(date="2026-06-10"))
    assert "承認済み" in response.text
    response = web.post(reverse("outreach:contact_delete", args=[contact.pk]), follow=True)
    assert "承認済み" in response.text
    contact.refresh_from_db()
    assert contact.date == date(2025, 6, 10)


def test_year_lock_leaves_other_years_open(client_for, outreach_worker_a, client_a, locked_2025):
    client_for(outreach_worker_a).post(
        reverse("outreach:contact_create", args=[client_a.pk]), contact_post_data(date="2026-06-10")
    )
    assert Contact.objects.count() == 1


# ---- deletes ----


def test_delete_asks_for_confirmation_first(client_for, outreach_worker_a, records_a):
    outcome = records_a["outcome"]
    web = client_for(outreach_worker_a)
    response = web.get(reverse("outreach:outcome_delete", args=[outcome.pk]))
    assert "削除します。よろしいですか" in response.text
    assert Outcome.objects.filter(pk=outcome.pk).exists()
    response = web.post(reverse("outreach:outcome_delete", args=[outcome.pk]), follow=True)
    assert "成果を削除しました。" in response.text
    assert not Outcome.objects.filter(pk=outcome.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_type="outreach.Outcome").exists()


def test_client_with_records_cannot_be_deleted(client_for, outreach_worker_a, records_a):
    response = client_for(outreach_worker_a).post(
        reverse("outreach:client_delete", args=[records_a["client"].pk]), follow=True
    )
    assert "関連する記録" in response.text
    assert Client.objects.filter(pk=records_a["client"].pk).exists()


def test_meeting_lists_only_own_agency_clients(client_for, outreach_worker_a, client_a, client_b):
    response = client_for(outreach_worker_a).get(reverse("outreach:meeting_create"))
    assert "山田 太郎" in response.text
    assert "佐藤 花子" not in response.text


def test_worker_records_a_meeting(client_for, outreach_worker_a, client_a):
    response = client_for(outreach_worker_a).post(
        reverse("outreach:meeting_create"),
        {
            "date": "2026-06-01",
            "kind": "coordination",
            "participant_types": ["welfare_office", "hello_work"],
            "clients": [client_a.pk],
            "decisions": "ハローワークへの同行",
        },
        follow=True,
    )
    assert "会議を登録しました。" in response.text
    meeting = SupportMeeting.objects.get()
    assert list(meeting.clients.all()) == [client_a]
    assert meeting.participant_type_labels == ["福祉事務所", "ハローワーク"]


def test_linkage_to_a_resource(client_for, outreach_worker_a, client_a):
    resource = ResourceFactory(name="さいたま地域若者サポートステーション")
    response = client_for(outreach_worker_a).post(
        reverse("outreach:linkage_create", args=[client_a.pk]),
        {"resource": resource.pk, "date": "2026-06-02", "result": "accompanied"},
        follow=True,
    )
    assert "関係機関へのつなぎを登録しました。" in response.text
    assert "さいたま地域若者サポートステーション" in response.text


# ---- outcomes recorded from the records that reach them ----


def test_first_connection_plan_and_closing_are_counted_as_outcomes_once(client_for, outreach_worker_a, client_a):
    web = client_for(outreach_worker_a)
    web.post(reverse("outreach:contact_create", args=[client_a.pk]), contact_post_data(date="2026-05-09"))
    web.post(reverse("outreach:contact_create", args=[client_a.pk]), contact_post_data(date="2026-05-16"))
    web.post(
        reverse("outreach:plan_create", args=[client_a.pk]),
        {"made_on": "2026-06-01", "goals": "外出", "planned_supports": "訪問", "next_review_on": "2026-09-01"},
    )
    web.post(
        reverse("outreach:client_update", args=[client_a.pk]),
        client_post_data(number=client_a.number, status="closed", closed_on="2026-10-01", closed_reason="就職したため"),
    )
    outcomes = {(o.kind, o.date) for o in Outcome.objects.filter(client=client_a)}
    assert outcomes == {
        ("connected", date(2026, 5, 9)),
        ("plan_made", date(2026, 6, 1)),
        ("closed", date(2026, 10, 1)),
    }


def test_opening_a_clients_edit_form_or_delete_confirmation_is_audited(client_for, outreach_worker_a, client_a):
    web = client_for(outreach_worker_a)
    web.get(reverse("outreach:client_update", args=[client_a.pk]))
    web.get(reverse("outreach:client_delete", args=[client_a.pk]))
    details = set(
        AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(client_a.pk)).values_list("detail", flat=True)
    )
    assert details == {"編集画面", "削除の確認画面"}


def test_a_duplicate_case_number_is_refused_next_to_the_field(client_for, outreach_worker_a, client_a):
    response = client_for(outreach_worker_a).post(
        reverse("outreach:client_create"), client_post_data(number=client_a.number)
    )
    assert f"ケース番号「{client_a.number}」は既にこの機関で使われています。" in response.text
    assert Client.objects.count() == 1


def test_a_duplicate_outcome_is_refused_in_japanese(client_for, outreach_worker_a, records_a):
    outcome = records_a["outcome"]
    response = client_for(outreach_worker_a).post(
        reverse("outreach:outcome_create", args=[outcome.client_id]),
        {"kind": outcome.kind, "date": outcome.date.isoformat()},
    )
    assert "同じ日に同じ成果が既に記録されています。" in response.text


def test_client_list_filters_by_status_criterion_and_month(client_for, outreach_worker_a, agency_a, worker_a):
    ClientFactory(agency=agency_a, name="受付 四月", registered_on=date(2025, 4, 10), criterion_hikikomori=True)
    ClientFactory(
        agency=agency_a,
        name="受付 五月",
        registered_on=date(2025, 5, 10),
        criterion_hikikomori=False,
        criterion_youth_station=True,
        status="closed",
        closed_on=date(2025, 9, 1),
        closed_reason="転居",
    )
    web = client_for(outreach_worker_a)

    def names(**params):
        return [c.name for c in web.get(reverse("outreach:client_list"), params).context["page"].object_list]

    assert names(month="2025-05") == ["受付 五月"]
    assert names(status="closed") == ["受付 五月"]
    assert names(criterion="hikikomori") == ["受付 四月"]
    assert names(criterion="youth_station", sort="name") == ["受付 五月"]


@pytest.mark.parametrize("key", ["plan", "review", "linkage", "outcome", "meeting"])
def test_year_lock_refuses_deleting_any_record_of_the_year(client_for, outreach_worker_a, records_a, key):
    PeriodLock.objects.create(organisation=records_a["client"].organisation, program=Program.OUTREACH, fiscal_year=2025)
    record = records_a[key]
    response = client_for(outreach_worker_a).post(reverse(f"outreach:{key}_delete", args=[record.pk]), follow=True)
    assert "承認済み" in response.text
    assert type(record).objects.filter(pk=record.pk).exists()


def test_timeline_marks_records_of_an_approved_year_read_only(client_for, outreach_worker_a, records_a):
    client = records_a["client"]
    ContactFactory(client=client, date=date(2026, 5, 1), summary="今年度の訪問")
    PeriodLock.objects.create(organisation=client.organisation, program=Program.OUTREACH, fiscal_year=2025)
    response = client_for(outreach_worker_a).get(reverse("outreach:client_detail", args=[client.pk]))
    entries = response.context["timeline"]
    assert {e.locked for e in entries if e.day.year == 2025} == {True}
    assert not next(e for e in entries if e.day == date(2026, 5, 1)).locked
    assert "確定済み" in response.text
    assert reverse("outreach:contact_update", args=[records_a["contact"].pk]) not in response.text
