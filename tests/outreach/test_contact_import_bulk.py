"""Contacts are imported per batch: the same records, flags, outcomes, grants, history and audit
events as `services.contact_save` row by row, with a number of queries that does not grow with the rows."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditAction, AuditEvent, PeriodLock, Program, Role
from outreach import services
from outreach.models import (
    Contact,
    ContactGroupObjectPermission,
    ContactKind,
    Outcome,
    OutcomeGroupObjectPermission,
    OutcomeKind,
)
from outreach.resources import ContactResource
from tests.factories import make_user
from tests.outreach.factories import ClientFactory, OutcomeFactory, WorkerFactory
from tests.outreach.test_imports import csv_bytes, do_import

HEADER = ["ケース番号", "日付", "開始時刻", "終了時刻", "種別", "本人", "家族", "関係機関", "関係機関名"]
HEADER += ["本人との初めてのつながり", "支援員", "内容"]
KINDS = {label: value for value, label in ContactKind.choices}

# date, start, end, kind, 本人, 家族, 関係機関, 関係機関名, 初めてのつながり, 内容
ROWS = [
    (date(2025, 6, 2), time(10, 0), time(11, 0), "電話", "", "はい", "", "", "", "母親から電話"),
    (date(2025, 11, 3), time(9, 0), time(9, 30), "来所面談", "はい", "", "はい", "保健所", "はい", "文化の日"),
    (date(2025, 6, 1), time(10, 0), time(11, 0), "自宅訪問", "はい", "", "", "", "はい", "日曜（この日が先）"),
    (date(2025, 12, 30), time(18, 0), time(19, 0), "同行相談", "はい", "はい", "", "", "", "年末の夜"),
    (date(2025, 6, 4), time(8, 0), time(8, 45), "メール・手紙", "", "", "はい", "ハローワーク", "", "早朝"),
]
COMPARED = [
    f.attname
    for f in Contact._meta.concrete_fields
    if f.name not in ("id", "client", "created_at", "updated_at", "created_by")
]


def _file(number, rows, worker_name="") -> bytes:
    lines = [
        [number, f"{d:%Y/%m/%d}", f"{s:%H:%M}", f"{e:%H:%M}", kind, *flags, worker_name, summary]
        for d, s, e, kind, *flags, summary in rows
    ]
    return csv_bytes(HEADER, lines, "cp932")


def _contact(client, row, worker) -> Contact:
    d, s, e, kind, person, family, agency, note, first, summary = row
    return Contact(
        client=client,
        worker=worker,
        date=d,
        start_time=s,
        end_time=e,
        kind=KINDS[kind],
        with_person=bool(person),
        with_family=bool(family),
        with_agency=bool(agency),
        agency_note=note,
        first_connection=bool(first),
        summary=summary,
    )


def _stored(client) -> list[dict]:
    return [
        {name: getattr(c, name) for name in COMPARED}
        for c in Contact.objects.filter(client=client).order_by("date", "start_time")
    ]


def _outcomes(client) -> list[tuple]:
    return list(
        Outcome.objects.filter(client=client)
        .order_by("date")
        .values_list("organisation_id", "kind", "date", "note", "created_by_id")
    )


def _history(client) -> list[tuple]:
    return list(
        Contact.history.filter(client_id=client.pk)
        .order_by("date", "start_time", "history_id")
        .values_list("date", "start_time", "history_type", "history_user_id", "summary", "first_connection")
    )


def _audit(objects) -> list[tuple]:
    return sorted(
        AuditEvent.objects.filter(object_type=o._meta.label, object_id=str(o.pk)).values_list(
            "action", "user_id", "username", "organisation_id", "object_repr"
        )[0]
        for o in objects
    )


@pytest.fixture
def twins(agency_a, worker_a):
    """Two clients of the same agency: one gets the file, the other the same rows through contact_save."""
    return (
        ClientFactory(agency=agency_a, worker=worker_a, number="2025-0101"),
        ClientFactory(agency=agency_a, worker=worker_a, number="2025-0102"),
    )


def test_a_bulk_import_stores_what_contact_save_stores(twins, worker_a, outreach_worker_a, outreach_worker_b):
    imported, saved = twins
    outcome = do_import(ContactResource, outreach_worker_a, "a.csv", _file(imported.number, ROWS))
    assert (outcome.errors, outcome.new) == ([], 5)
    for row in ROWS:
        services.contact_save(contact=_contact(saved, row, worker_a), by=outreach_worker_a)

    assert _stored(imported) == _stored(saved)
    flags = {c.date: c for c in Contact.objects.filter(client=imported)}
    assert flags[date(2025, 6, 1)].is_weekend and flags[date(2025, 6, 1)].is_outside_hours
    assert flags[date(2025, 11, 3)].holiday_name == "文化の日"
    assert flags[date(2025, 12, 30)].is_year_end and flags[date(2025, 12, 30)].is_after_hours
    assert flags[date(2025, 6, 4)].is_after_hours and not flags[date(2025, 6, 2)].is_outside_hours
    # one outcome, on the first connection in the file's order (not the earliest date)
    assert _outcomes(imported) == _outcomes(saved)
    assert _outcomes(imported) == [
        (
            imported.organisation_id,
            OutcomeKind.CONNECTED,
            date(2025, 11, 3),
            services.CONNECTED_NOTE,
            outreach_worker_a.pk,
        )
    ]
    assert _history(imported) == _history(saved)
    contacts = list(Contact.objects.filter(client=imported))
    outcomes = list(Outcome.objects.filter(client=imported))
    twin_contacts = list(Contact.objects.filter(client=saved))
    twin_outcomes = list(Outcome.objects.filter(client=saved))
    assert _audit(contacts) == _audit(twin_contacts)
    assert _audit(outcomes) == _audit(twin_outcomes)
    for record in contacts + outcomes:
        permission_model = ContactGroupObjectPermission if isinstance(record, Contact) else OutcomeGroupObjectPermission
        assert permission_model.objects.filter(content_object=record).count() == 3
        name = record._meta.model_name
        assert outreach_worker_a.has_perm(f"outreach.change_{name}", record)
        assert not outreach_worker_b.has_perm(f"outreach.view_{name}", record)
    assert set(Contact.objects.visible_to(outreach_worker_a)) >= set(contacts)
    assert not Contact.objects.visible_to(outreach_worker_b).exists()
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert (event.object_type, event.detail) == ("outreach.Contact", "new=5 update=0 rows=5")


def test_updates_and_a_client_already_connected(twins, worker_a, outreach_worker_a, contractor_a):
    imported, saved = twins
    colleague = make_user(Role.OUTREACH_WORKER, contractor_a, username="colleague", last_name="鈴木", first_name="花子")
    colleague_worker = WorkerFactory(user=colleague, agency=worker_a.agency)
    for client in twins:  # stored by a colleague, with another worker: an update keeps the creator
        for row in ROWS[:3]:
            services.contact_save(contact=_contact(client, (*row[:8], "", row[9]), None), by=colleague)
        OutcomeFactory(client=client, kind=OutcomeKind.CONNECTED, date=date(2025, 5, 1))
    changed = [(*row[:9], row[9] + "（追記）") for row in ROWS]
    outcome = do_import(ContactResource, outreach_worker_a, "a.csv", _file(imported.number, changed, "鈴木 花子"))
    assert (outcome.errors, outcome.new, outcome.update) == ([], 2, 3)
    for row in changed:
        contact = Contact.objects.filter(client=saved, date=row[0], start_time=row[1]).first()
        if contact is None:
            contact = _contact(saved, row, None)
        else:
            for name, value in vars(_contact(saved, row, None)).items():
                if name in COMPARED and name != "worker_id":
                    setattr(contact, name, value)
        contact.worker = colleague_worker
        services.contact_save(contact=contact, by=outreach_worker_a)
    assert _stored(imported) == _stored(saved)
    creators = dict(Contact.objects.filter(client=imported).values_list("date", "created_by_id"))
    assert [creators[row[0]] for row in ROWS] == [colleague.pk] * 3 + [outreach_worker_a.pk] * 2
    assert set(Contact.objects.filter(client=imported).values_list("worker", flat=True)) == {colleague_worker.pk}
    assert _outcomes(imported) == _outcomes(saved)
    assert len(_outcomes(imported)) == 1  # already connected: nothing added
    assert _history(imported) == _history(saved)
    assert Contact.history.filter(client_id=imported.pk, history_type="~").count() == 3
    assert AuditEvent.objects.filter(object_type="outreach.Contact", action=AuditAction.UPDATE).count() == 6


def test_the_same_file_again_updates_every_row_and_connects_the_client_again(client_a, worker_a, outreach_worker_a):
    content = _file(client_a.number, ROWS)
    assert do_import(ContactResource, outreach_worker_a, "a.csv", content).ok
    Outcome.objects.filter(client=client_a).delete()  # removed on the screens since
    stored = _stored(client_a)
    again = do_import(ContactResource, outreach_worker_a, "a.csv", content)
    assert (again.errors, again.new, again.update, again.unchanged) == ([], 0, 5, 0)
    assert _stored(client_a) == stored
    # as contact_save: a history row and an audit event for each row saved again
    assert Contact.history.filter(history_type="~", history_user=outreach_worker_a).count() == 5
    assert AuditEvent.objects.filter(object_type="outreach.Contact", action=AuditAction.UPDATE).count() == 5
    # and the outcome recorded again, on the first row that is a first connection
    assert list(Outcome.objects.filter(client=client_a).values_list("date", flat=True)) == [date(2025, 11, 3)]


def test_a_frozen_year_and_a_stored_duplicate_are_refused(client_a, worker_a, outreach_worker_a, contractor_a):
    row = ROWS[0]
    for _ in range(2):
        Contact.objects.create(
            organisation=contractor_a,
            client=client_a,
            date=row[0],
            start_time=row[1],
            end_time=row[2],
            kind=KINDS[row[3]],
            with_family=True,
            summary="二重",
        )
    outcome = do_import(ContactResource, outreach_worker_a, "a.csv", _file(client_a.number, ROWS[:2]))
    assert outcome.errors == [
        "行 2: 登録済みの記録に、ケース番号・日付・開始時刻・種別が同じものが2件以上あるため、"
        "どれを更新するか決められません。画面で重複を整理してから取り込んでください。"
    ]
    PeriodLock.objects.create(
        organisation=contractor_a, program=Program.OUTREACH, fiscal_year=2025, agency=client_a.agency
    )
    outcome = do_import(ContactResource, outreach_worker_a, "a.csv", _file(client_a.number, ROWS[1:3]))
    assert len(outcome.errors) == 2 and all("承認済み" in error for error in outcome.errors)
    assert Contact.objects.count() == 2 and not Outcome.objects.exists()


def test_a_bad_row_after_written_batches_leaves_nothing(monkeypatch, client_a, worker_a, outreach_worker_a):
    monkeypatch.setattr(ContactResource._meta, "batch_size", 2)
    rows = [*ROWS[:4], (*ROWS[4][:4], "", "", "", "", "", "相手なし")]
    outcome = do_import(ContactResource, outreach_worker_a, "a.csv", _file(client_a.number, rows))
    assert outcome.errors == ["行 6・列「本人」: 対応した相手（本人・家族・関係機関）を1つ以上選んでください。"]
    assert not Contact.objects.exists() and not Contact.history.exists() and not Outcome.objects.exists()
    assert not AuditEvent.objects.filter(object_type__in=["outreach.Contact", "outreach.Outcome"]).exists()


def test_importing_twice_the_rows_takes_the_same_number_of_queries(agency_a, worker_a, outreach_worker_a):
    clients = [ClientFactory(agency=agency_a, worker=worker_a, number=f"2025-{n:04d}") for n in range(1, 13)]

    def content(first, count, summary="訪問"):
        lines = []
        for n in range(count):
            client = clients[first + n]
            lines.append(
                [client.number, "2025/6/2", "10:00", "11:00", "自宅訪問", "はい", "", "", "", "はい", "", summary]
            )
            lines.append([client.number, "2025/6/3", "18:00", "19:00", "電話", "", "はい", "", "", "", "", summary])
        return csv_bytes(HEADER, lines, "cp932")

    def queries(file) -> int:
        with CaptureQueriesContext(connection) as captured:
            outcome = do_import(ContactResource, outreach_worker_a, "a.csv", file)
        assert outcome.errors == []
        return len(captured.captured_queries)

    queries(content(0, 1))  # the first import also fills Django's content-type cache
    few, many = content(1, 2), content(3, 4)
    assert queries(few) == queries(many)  # 4 and 8 new contacts, 2 and 4 outcomes
    assert Contact.objects.count() == 14 and Outcome.objects.count() == 7
    # and re-importing with a change (every row an update) does not grow with the rows either
    assert queries(content(1, 2, "再訪問")) == queries(content(3, 4, "再訪問"))
    assert Contact.objects.filter(summary="再訪問").count() == 12


@pytest.mark.skipif(not connection.features.has_select_for_update, reason="the database has no row locks")
def test_the_client_is_locked_before_its_first_connection_is_counted(twins, worker_a, outreach_worker_a):
    """Two saves at once must not both find the client unconnected: its row is locked before the check,
    by a contact saved on its page and by an import alike."""
    client, other = twins
    with CaptureQueriesContext(connection) as saved:
        services.contact_save(contact=_contact(client, ROWS[2], worker_a), by=outreach_worker_a)
    with CaptureQueriesContext(connection) as imported:
        assert do_import(ContactResource, outreach_worker_a, "c.csv", _file(other.number, [ROWS[2]])).errors == []
    for queries in (saved, imported):
        assert any('FROM "outreach_client"' in q["sql"] and "FOR UPDATE" in q["sql"] for q in queries.captured_queries)
    assert Outcome.objects.filter(client__in=twins, kind=OutcomeKind.CONNECTED).count() == 2


def test_only_stored_contacts_of_the_files_dates_are_read(client_a, worker_a, outreach_worker_a):
    from tests.outreach.factories import ContactFactory

    old = [ContactFactory(client=client_a, date=date(2020 + n, 5, 1)) for n in range(3)]
    stored = ContactFactory(client=client_a, date=ROWS[0][0], start_time=ROWS[0][1], kind=KINDS[ROWS[0][3]])
    with CaptureQueriesContext(connection) as queries:
        outcome = do_import(ContactResource, outreach_worker_a, "c.csv", _file(client_a.number, ROWS[:2]))
    assert (outcome.new, outcome.update, outcome.errors) == (1, 1, [])
    stored.refresh_from_db()
    assert stored.summary == ROWS[0][-1]
    loads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "outreach_contact"."id"')]
    assert loads and all("BETWEEN" in sql for sql in loads), loads
    assert Contact.objects.filter(pk__in=[c.pk for c in old]).count() == 3
