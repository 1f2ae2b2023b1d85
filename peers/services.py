"""Writes of the peer-support program. Each runs in one transaction and goes through
`accounts.services.save_tenant_record` (validate, year lock, save, grant, audit)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.services import save_tenant_record
from peers.files import scan_content_type
from peers.models import (
    Activity,
    ActivitySupporter,
    Course,
    JoinedVia,
    PeerSupporter,
    PersonSupported,
    Pledge,
    SupporterConditions,
    SupporterStatus,
    Trainee,
    record_related_in_history,
)
from peers.signals import remove_scan_later


@transaction.atomic
def record_save(*, record, by, m2m: dict[str, Iterable] | None = None):
    """Create or update any peers record (organisation already set), with its many-to-many values."""
    save_tenant_record(record, by=by)
    for name, values in (m2m or {}).items():
        getattr(record, name).set(values)
    return record


@transaction.atomic
def pledge_save(*, pledge: Pledge, by) -> Pledge:
    """Save a pledge; a newly uploaded scan keeps the type its bytes showed, under a random name."""
    previous = Pledge.objects.filter(pk=pledge.pk).values_list("scan", flat=True).first() if pledge.pk else ""
    if pledge.scan and not getattr(pledge.scan, "_committed", True):
        pledge.scan_content_type = scan_content_type(pledge.scan)
    elif not pledge.scan:
        pledge.scan_content_type = ""
    save_tenant_record(pledge, by=by)
    if previous and previous != pledge.scan.name:
        remove_scan_later(pledge.scan.storage, previous)  # the replaced scan
    return pledge


def pay_from_conditions(conditions: Iterable[SupporterConditions], hours: Decimal, day) -> int | None:
    """Hours × the hourly pay of the latest conditions told on or before `day` (one supporter's conditions)."""
    told = [c for c in conditions if c.told_on <= day]
    if not told:
        return None
    latest = max(told, key=lambda c: (c.told_on, c.pk))
    return int((Decimal(hours) * latest.hourly_pay).to_integral_value())


def default_pay(supporter: PeerSupporter, hours: Decimal, day) -> int | None:
    """Hours × the hourly pay told to the supporter (the latest conditions on or before `day`)."""
    latest = SupporterConditions.objects.filter(supporter=supporter, told_on__lte=day).order_by("-told_on", "-pk")[:1]
    return pay_from_conditions(latest, hours, day)


class SupporterRowsError(ValidationError):
    """Errors of individual supporter rows; `row_errors` maps a row's position to its messages."""

    def __init__(self, row_errors: dict[int, list[str]]):
        self.row_errors = row_errors
        super().__init__([message for messages in row_errors.values() for message in messages])


def build_supporter_rows(
    activity: Activity,
    supporters: list[dict],
    *,
    pledges_of: Callable[[PeerSupporter], Iterable[Pledge]] | None = None,
    conditions_of: Callable[[PeerSupporter], Iterable[SupporterConditions]] | None = None,
) -> list[ActivitySupporter]:
    """The activity's supporter rows ({"supporter", "hours", "pay"} each), validated, not saved.

    The screens leave `pledges_of`/`conditions_of` out (each row asks the database); an import
    passes lookups into what it loaded once. Either way the rules are the model's `check_rules`.
    """
    rows, errors, seen = [], {}, set()
    for position, entry in enumerate(supporters):
        supporter, hours, pay = entry["supporter"], entry["hours"], entry.get("pay")
        if supporter.pk in seen:
            errors[position] = [f"ピアサポーター「{supporter.name}」が2回選ばれています。1行にまとめてください。"]
            continue
        seen.add(supporter.pk)
        if pay is None:
            if conditions_of is None:
                pay = default_pay(supporter, hours, activity.date)
            else:
                pay = pay_from_conditions(conditions_of(supporter), hours, activity.date)
            if pay is None:
                errors[position] = [
                    f"ピアサポーター「{supporter.name}」の時給が未登録のため、謝金を入力してください"
                    "（活動条件の説明で時給を登録すると自動計算されます）。"
                ]
                continue
        row = ActivitySupporter(activity=activity, supporter=supporter, hours=hours, pay=pay)
        try:
            if pledges_of is None:
                row.full_clean(exclude=["activity"])
            else:  # the supporter came from the organisation's own list: no need to ask whether it exists
                row.clean_fields(exclude=["activity", "supporter"])
                row.check_rules(pledges=pledges_of(supporter))
        except ValidationError as error:
            errors[position] = error.messages
            continue
        rows.append(row)
    if errors:
        raise SupporterRowsError(errors)
    return rows


def _replace_supporters(activity: Activity, supporters: list[dict]) -> None:
    activity.supporter_rows.all().delete()
    ActivitySupporter.objects.bulk_create(build_supporter_rows(activity, supporters))


def _check_people(activity: Activity, people: Iterable[PersonSupported]) -> list[PersonSupported]:
    people = list(people)
    if any(person.organisation_id != activity.organisation_id for person in people):
        raise ValidationError({"people": "他の事業者の支援対象者は選べません。"})
    return people


@transaction.atomic
def activity_create(*, organisation, by, supporters: list[dict], people=(), **fields) -> Activity:
    """Log an activity with the supporters who took part ({"supporter", "hours", "pay"} each).

    Every supporter needs a pledge valid on the activity date (要綱第5条5); if any rule fails,
    a ValidationError is raised and nothing is saved.
    """
    activity = Activity(organisation=organisation, **fields)
    save_tenant_record(activity, by=by)
    activity.people.set(_check_people(activity, people))
    _replace_supporters(activity, supporters)
    record_related_in_history(activity)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, by, supporters: list[dict], people=(), **fields) -> Activity:
    for name, value in fields.items():
        setattr(activity, name, value)
    save_tenant_record(activity, by=by)
    activity.people.set(_check_people(activity, people))
    _replace_supporters(activity, supporters)
    record_related_in_history(activity)
    return activity


@transaction.atomic
def course_save(*, course: Course, by, trainee_formset=None) -> Course:
    save_tenant_record(course, by=by)
    if trainee_formset is not None:
        trainee_formset.instance = course
        trainee_formset.save()
    return course


@transaction.atomic
def supporter_register_from_trainee(*, trainee: Trainee, by) -> PeerSupporter:
    """One click: a trainee who completed the training course becomes a peer supporter (第4条1(2)イ)."""
    trainee = Trainee.objects.select_for_update().select_related("course").get(pk=trainee.pk)
    if not trainee.completed:
        raise ValidationError(f"「{trainee.name}」さんは修了していないため、ピアサポーターとして登録できません。")
    if trainee.supporter_id:
        raise ValidationError(f"「{trainee.name}」さんは既にピアサポーターとして登録されています。")
    course = trainee.course
    supporter = PeerSupporter(
        organisation_id=course.organisation_id,
        name=trainee.name,
        name_kana=trainee.name_kana,
        start_date=max(course.date, timezone.localdate()),
        status=SupporterStatus.ACTIVE,
        joined_via=JoinedVia.TRAINING,
        joined_note=f"{course.title}（{course.date:%Y-%m-%d}）修了",
    )
    save_tenant_record(supporter, by=by)
    trainee.supporter = supporter
    trainee.save(update_fields=["supporter"])
    return supporter
