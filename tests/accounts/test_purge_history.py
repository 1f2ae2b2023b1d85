"""purge_history: the history of a record deleted long ago goes; living records keep theirs."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditAction, AuditEvent
from accounts.services import delete_tenant_record, save_tenant_record
from peers.models import PeerSupporter
from tests.peers.factories import SupporterFactory

History = PeerSupporter.history.model


def _deleted_supporter(by, organisation, *, years_ago: float) -> int:
    supporter = SupporterFactory(organisation=organisation)
    supporter.note = "変更"
    save_tenant_record(supporter, by=by)
    pk = supporter.pk
    delete_tenant_record(supporter, by=by)
    History.objects.filter(id=pk).update(history_date=timezone.now() - timedelta(days=365.25 * years_ago))
    return pk


def _run(*args) -> str:
    out = StringIO()
    call_command("purge_history", *args, stdout=out)
    return out.getvalue()


def test_history_of_a_record_deleted_before_the_retention_period_is_removed(coordinator_a, contractor_a):
    old = _deleted_supporter(coordinator_a, contractor_a, years_ago=6)
    output = _run("--older-than-years", "5")
    assert not History.objects.filter(id=old).exists()
    assert "ピアサポーターの変更履歴: 3 件" in output
    assert "消去しました" in output


def test_recently_deleted_and_living_records_keep_their_history(coordinator_a, contractor_a):
    recent = _deleted_supporter(coordinator_a, contractor_a, years_ago=4)
    living = SupporterFactory(organisation=contractor_a)
    History.objects.filter(id=living.pk).update(history_date=timezone.now() - timedelta(days=365 * 10))
    _run("--older-than-years", "5")
    assert History.objects.filter(id=recent).count() == 3
    assert History.objects.filter(id=living.pk).exists()


def test_default_retention_comes_from_the_setting(settings, coordinator_a, contractor_a):
    settings.PERSONAL_HISTORY_RETENTION_YEARS = 3
    old = _deleted_supporter(coordinator_a, contractor_a, years_ago=4)
    _run()
    assert not History.objects.filter(id=old).exists()


def test_dry_run_counts_without_removing(coordinator_a, contractor_a):
    old = _deleted_supporter(coordinator_a, contractor_a, years_ago=6)
    output = _run("--older-than-years", "5", "--dry-run")
    assert History.objects.filter(id=old).count() == 3
    assert "3 件を消去対象です" in output


def test_purge_is_written_to_the_audit_log(coordinator_a, contractor_a):
    _deleted_supporter(coordinator_a, contractor_a, years_ago=6)
    _run("--older-than-years", "5")
    event = AuditEvent.objects.get(object_type="history")
    assert event.action == AuditAction.DELETE
    assert "rows=3" in event.detail
    assert event.username == "purge_history"


def test_a_deleted_activity_history_goes_too_because_it_names_the_supporters():
    from accounts.history import models_with_personal_history
    from peers.models import Activity

    assert Activity in models_with_personal_history()
