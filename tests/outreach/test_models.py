from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from outreach.models import Client, CohortSetting, Contact, OutreachWorker, Qualification
from outreach.search import normalise_query, search_key
from tests.outreach.factories import ClientFactory, ContactFactory, WorkerFactory


def client_errors(client: Client) -> dict:
    with pytest.raises(ValidationError) as error:
        client.full_clean()
    return error.value.message_dict


# ---- cohort (要綱3(2)ア) ----


@pytest.mark.parametrize(
    ("birth_date", "inside"),
    [
        (date(1970, 4, 1), False),
        (date(1970, 4, 2), True),
        (date(1986, 4, 1), True),
        (date(1986, 4, 2), False),
    ],
)
def test_default_cohort_boundaries(birth_date, inside):
    assert CohortSetting().contains(birth_date) is inside


def test_client_outside_the_cohort_needs_a_reason(agency_a):
    client = ClientFactory.build(agency=agency_a, organisation=agency_a.organisation, birth_date=date(1986, 4, 2))
    errors = client_errors(client)
    assert "就職氷河期世代の範囲" in errors["outside_cohort_reason"][0]
    assert "昭和45年4月2日" in errors["outside_cohort_reason"][0]


def test_client_outside_the_cohort_with_a_reason_is_valid_and_marked(agency_a):
    client = ClientFactory.build(
        agency=agency_a,
        organisation=agency_a.organisation,
        birth_date=date(1970, 4, 1),
        outside_cohort_reason="兄弟と同居し同様の状態にあり、一体的な支援が必要なため",
    )
    client.full_clean()
    assert client.in_cohort is False


def test_client_inside_the_cohort_needs_no_reason(agency_a):
    client = ClientFactory.build(agency=agency_a, organisation=agency_a.organisation, birth_date=date(1970, 4, 2))
    client.full_clean()
    assert client.in_cohort is True


def test_the_prefecture_can_move_the_cohort(agency_a):
    CohortSetting(birth_from=date(1968, 4, 2), birth_to=date(1988, 4, 1)).save()
    client = ClientFactory.build(agency=agency_a, organisation=agency_a.organisation, birth_date=date(1987, 1, 1))
    client.full_clean()
    assert client.in_cohort is True


def test_client_needs_one_of_the_criteria_and_hardship(agency_a):
    client = ClientFactory.build(
        agency=agency_a, organisation=agency_a.organisation, criterion_hikikomori=False, in_hardship=False
    )
    errors = client_errors(client)
    assert "(ｱ)〜(ｴ)のいずれか" in errors["criterion_hikikomori"][0]
    assert "生活困窮者" in errors["in_hardship"][0]


def test_closing_a_case_needs_a_date_and_reason(agency_a):
    client = ClientFactory.build(agency=agency_a, organisation=agency_a.organisation, status="closed")
    errors = client_errors(client)
    assert "closed_on" in errors and "closed_reason" in errors


# ---- search key ----


@pytest.mark.parametrize("query", ["ﾔﾏﾀﾞ", "やまだ", "ヤマダ", "ヤ マ ダ", "山田"])
def test_search_normalisation_finds_yamada(agency_a, query):
    ClientFactory(agency=agency_a, name="山田 太郎", name_kana="ヤマダ タロウ")
    ClientFactory(agency=agency_a, name="佐藤 花子", name_kana="サトウ ハナコ")
    found = Client.objects.filter(search_key__contains=normalise_query(query))
    assert [c.name for c in found] == ["山田 太郎"]


def test_search_key_joins_name_and_reading_without_spaces():
    assert search_key("山田 太郎", "やまだ　たろう") == "山田太郎|ヤマダタロウ"


# ---- qualifications (要綱3(3)) ----


def worker_errors(**fields) -> dict:
    worker = OutreachWorker(**fields)
    return worker.qualification_errors(today=date(2026, 11, 23))


def test_category_a_needs_course_and_completion_before_this_year():
    errors = worker_errors(qualification=Qualification.TRAINING, training_course="consultation", training_year=2026)
    assert "前年度までに" in errors["training_year"]
    assert worker_errors(qualification=Qualification.TRAINING, training_course="chief", training_year=2025) == {}


def test_category_i_needs_five_years_in_the_field():
    errors = worker_errors(
        qualification=Qualification.LICENSED, licence="social_worker", field_years=4, hardship_consultation_years=3
    )
    assert list(errors) == ["field_years"]
    assert "保健・医療・福祉・就労・教育等の分野での業務の従事年数が5年未満です（4年）" in errors["field_years"]


def test_category_i_needs_three_years_of_hardship_consultation():
    errors = worker_errors(
        qualification=Qualification.LICENSED, licence="psw", field_years=5, hardship_consultation_years=2
    )
    assert list(errors) == ["hardship_consultation_years"]
    assert "生活困窮者への相談支援業務の従事年数が3年未満です" in errors["hardship_consultation_years"]


def test_category_i_needs_a_licence():
    errors = worker_errors(qualification=Qualification.LICENSED, field_years=5, hardship_consultation_years=3)
    assert "社会福祉士・精神保健福祉士・保健師" in errors["licence"]


def test_category_u_needs_five_years_of_consultation():
    assert (
        "5年未満" in worker_errors(qualification=Qualification.CONSULTATION, consultation_years=4)["consultation_years"]
    )
    assert worker_errors(qualification=Qualification.CONSULTATION, consultation_years=5) == {}


def test_category_e_needs_the_social_welfare_officer_confirmation():
    errors = worker_errors(qualification=Qualification.SOCIAL_WELFARE_OFFICER)
    assert "社会福祉主事" in errors["is_social_welfare_officer"]


def test_category_o_needs_two_years_of_welfare_work():
    errors = worker_errors(qualification=Qualification.WELFARE_WORK, welfare_work_years=1)
    assert "社会福祉事業の従事年数が2年未満です" in errors["welfare_work_years"]
    assert worker_errors(qualification=Qualification.WELFARE_WORK, welfare_work_years=2) == {}


def test_category_ka_needs_a_note():
    assert "理由を入力" in worker_errors(qualification=Qualification.EQUIVALENT)["equivalence_note"]
    assert worker_errors(qualification=Qualification.EQUIVALENT, equivalence_note="県が面接で確認") == {}


def test_worker_must_hold_the_outreach_role_of_the_agencys_contractor(agency_b, outreach_worker_a):
    worker = WorkerFactory.build(user=outreach_worker_a, agency=agency_b, organisation=agency_b.organisation)
    with pytest.raises(ValidationError) as error:
        worker.full_clean()
    assert "受託事業者の機関" in error.value.message_dict["agency"][0]


# ---- contacts ----


def test_contact_flags_are_stored_on_save(client_a):
    contact = ContactFactory(client=client_a, date=date(2025, 5, 6), start_time=time(17, 0), end_time=time(18, 0))
    stored = Contact.objects.get(pk=contact.pk)
    assert stored.is_holiday and stored.is_after_hours and stored.is_outside_hours
    assert stored.holiday_name == "みどりの日 振替休日"
    assert stored.flag_labels == ["みどりの日 振替休日", "時間外"]


def test_contact_end_must_be_after_start(client_a):
    contact = ContactFactory.build(
        client=client_a, organisation=client_a.organisation, start_time=time(11, 0), end_time=time(11, 0)
    )
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert "終了時刻は開始時刻より後" in error.value.message_dict["end_time"][0]
