"""The rules live in the models, so any write path (screens, admin, a future import) enforces them."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from peers.models import Activity, ActivityKind, ActivitySupporter, Coordinator, PersonSupported, Qualification
from tests.peers.factories import PersonFactory, SupporterFactory, asaka, asaka_hospital


def make_activity(organisation, coordinator, **fields):
    values = {
        "organisation": organisation,
        "coordinator": coordinator,
        "kind": ActivityKind.HOSPITAL_GROUP,
        "date": date(2026, 11, 2),
        "start_time": time(10),
        "end_time": time(11),
        "district": asaka(),
        "hospital": asaka_hospital(),
        **fields,
    }
    return Activity(**values)


def test_full_clean_sets_the_contract_from_the_date(contract_a, coordinator_record_a):
    activity = make_activity(contract_a.organisation, coordinator_record_a)
    activity.full_clean()
    assert activity.contract == contract_a


def test_full_clean_refuses_a_date_without_contract(contractor_a, coordinator_record_a):
    activity = make_activity(contractor_a, coordinator_record_a)
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "date" in error.value.error_dict


def test_full_clean_refuses_another_contractors_coordinator(contract_a, contractor_b):
    other = Coordinator.objects.create(
        organisation=contractor_b, name="他社", qualification=Qualification.PSW, psw_registration_number="1"
    )
    with pytest.raises(ValidationError) as error:
        make_activity(contract_a.organisation, other).full_clean()
    assert "coordinator" in error.value.error_dict


def test_supporter_row_refuses_another_contractors_supporter(activity_a, supporter_b):
    row = ActivitySupporter(activity=activity_a, supporter=supporter_b, hours=1, pay=1000)
    with pytest.raises(ValidationError, match="他の事業者のピアサポーターは選べません"):
        row.full_clean()


def test_database_refuses_end_time_before_start(contract_a, coordinator_record_a):
    activity = make_activity(contract_a.organisation, coordinator_record_a, end_time=time(9), contract=contract_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        activity.save()


def test_database_refuses_negative_hours(activity_a, contractor_a):
    supporter = SupporterFactory(organisation=contractor_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivitySupporter.objects.create(activity=activity_a, supporter=supporter, hours=-1, pay=0)


def test_database_refuses_duplicate_person_codes_in_one_contractor(contractor_a):
    PersonFactory(organisation=contractor_a, code="X-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonSupported.objects.create(organisation=contractor_a, code="X-1", support_started_on=date(2026, 4, 1))
