"""Organisations, users and their roles, fiscal years, master data, audit log, period locks."""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from accounts.wareki import fiscal_year_label, fiscal_year_of


class HealthCentre(models.Model):
    """保健所: its area is a program district (要綱000 第2条(3))."""

    code = models.CharField("コード", max_length=8, unique=True)
    name = models.CharField("保健所名", max_length=50, unique=True)
    operator = models.CharField("設置主体", max_length=50)
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = verbose_name_plural = "保健所"

    def __str__(self) -> str:
        return self.name

    @property
    def is_prefectural(self) -> bool:
        return self.operator == "県"


class Municipality(models.Model):
    name = models.CharField("市町村名", max_length=30, unique=True)
    kind = models.CharField("区分", max_length=4)
    health_centre = models.ForeignKey(
        HealthCentre, on_delete=models.PROTECT, related_name="municipalities", verbose_name="管轄保健所"
    )
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = verbose_name_plural = "市町村"

    def __str__(self) -> str:
        return self.name


class FiscalYearQuerySet(models.QuerySet):
    def for_date(self, day: date) -> FiscalYear:
        fiscal_year, _ = self.get_or_create(year=fiscal_year_of(day))
        return fiscal_year


class FiscalYear(models.Model):
    """年度: 1 April – 31 March, named by the calendar year it starts in (令和7年度 = 2025)."""

    year = models.PositiveSmallIntegerField("年度（西暦）", unique=True)

    objects = FiscalYearQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = "年度"

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return fiscal_year_label(self.year)

    @property
    def start(self) -> date:
        return date(self.year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 3, 31)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @classmethod
    def current(cls) -> FiscalYear:
        return cls.objects.for_date(timezone.localdate())


class OrganisationKind(models.TextChoices):
    PREFECTURE = "prefecture", "埼玉県"
    HEALTH_CENTRE = "health_centre", "保健所"
    CONTRACTOR = "contractor", "受託事業者"


class Organisation(models.Model):
    code = models.SlugField(
        "組織コード", max_length=40, unique=True, help_text="半角英数字とハイフン。取込コマンドで使います。"
    )
    name = models.CharField("名称", max_length=100)
    name_kana = models.CharField("名称（フリガナ）", max_length=150, blank=True)
    kind = models.CharField("種別", max_length=20, choices=OrganisationKind.choices)
    runs_peer_support = models.BooleanField("ピアサポート活動促進事業を受託", default=False)
    runs_outreach = models.BooleanField("自立相談支援機能強化事業を受託", default=False)
    health_centre = models.OneToOneField(
        HealthCentre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
        verbose_name="保健所（保健所の場合）",
    )
    representative = models.CharField("代表者", max_length=100, blank=True)
    address = models.CharField("所在地", max_length=200, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True)
    is_active = models.BooleanField("有効", default=True)
    require_two_factor = models.BooleanField(
        "2段階認証を必須にする", default=False, help_text="県職員は組織の設定にかかわらず常に必須です。"
    )
    group = models.OneToOneField(Group, on_delete=models.PROTECT, editable=False, related_name="organisation")

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = verbose_name_plural = "組織"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == OrganisationKind.HEALTH_CENTRE and not self.health_centre_id:
            raise ValidationError({"health_centre": "保健所の組織には、対応する保健所を選んでください。"})
        if self.kind != OrganisationKind.HEALTH_CENTRE and self.health_centre_id:
            raise ValidationError({"health_centre": "保健所以外の組織に保健所は設定できません。"})
        if self.kind != OrganisationKind.CONTRACTOR and (self.runs_peer_support or self.runs_outreach):
            raise ValidationError("事業の受託は受託事業者のみ設定できます。")

    def save(self, *args, **kwargs) -> None:
        # Object permissions are granted to this group: one group per organisation.
        if not self.group_id:
            self.group = Group.objects.create(name=f"org:{self.code}")
        super().save(*args, **kwargs)

    @property
    def is_contractor(self) -> bool:
        return self.kind == OrganisationKind.CONTRACTOR


class Role(models.TextChoices):
    PREFECTURE = "prefecture", "県職員"
    HEALTH_CENTRE = "health_centre", "保健所職員"
    COORDINATOR = "coordinator", "ピアサポートコーディネーター"
    OUTREACH_WORKER = "outreach_worker", "アウトリーチ支援員"


ROLE_ORGANISATION_KIND = {
    Role.PREFECTURE: OrganisationKind.PREFECTURE,
    Role.HEALTH_CENTRE: OrganisationKind.HEALTH_CENTRE,
    Role.COORDINATOR: OrganisationKind.CONTRACTOR,
    Role.OUTREACH_WORKER: OrganisationKind.CONTRACTOR,
}
CONTRACTOR_ROLES = (Role.COORDINATOR, Role.OUTREACH_WORKER)


class UserManager(DjangoUserManager):
    def get_queryset(self):
        # The role and organisation are read on every request: load them with the user.
        return super().get_queryset().select_related("membership__organisation")


class User(AbstractUser):
    """A person who signs in. Family name first, as Japanese names are written."""

    objects = UserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = verbose_name_plural = "利用者"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        full = f"{self.last_name} {self.first_name}".strip()
        return full or self.username

    @property
    def active_membership(self) -> Membership | None:
        try:
            membership = self.membership
        except Membership.DoesNotExist:
            return None
        if not membership.organisation.is_active:
            return None
        return membership

    @property
    def role(self) -> str | None:
        membership = self.active_membership
        return membership.role if membership else None

    @property
    def organisation(self) -> Organisation | None:
        membership = self.active_membership
        return membership.organisation if membership else None

    @property
    def organisation_id_or_none(self) -> int | None:
        membership = self.active_membership
        return membership.organisation_id if membership else None

    @property
    def is_prefecture_staff(self) -> bool:
        return self.role == Role.PREFECTURE

    @property
    def two_factor_required(self) -> bool:
        membership = self.active_membership
        if membership is None:
            return self.is_staff
        return membership.role == Role.PREFECTURE or membership.organisation.require_two_factor


class Membership(models.Model):
    """The one organisation and role a user works under."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name="利用者"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name="所属"
    )
    role = models.CharField("役割", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "所属・役割"

    def __str__(self) -> str:
        return f"{self.user.username}（{self.organisation} / {self.get_role_display()}）"

    def clean(self) -> None:
        expected = ROLE_ORGANISATION_KIND.get(self.role)
        if expected and self.organisation_id and self.organisation.kind != expected:
            raise ValidationError(
                {"organisation": f"「{self.get_role_display()}」は{expected.label}の組織にのみ所属できます。"}
            )
        if self.role == Role.COORDINATOR and self.organisation_id and not self.organisation.runs_peer_support:
            raise ValidationError({"organisation": "この受託事業者はピアサポート活動促進事業を受託していません。"})
        if self.role == Role.OUTREACH_WORKER and self.organisation_id and not self.organisation.runs_outreach:
            raise ValidationError({"organisation": "この受託事業者は自立相談支援機能強化事業を受託していません。"})

    def save(self, *args, **kwargs) -> None:
        previous = Membership.objects.filter(pk=self.pk).values_list("organisation_id", flat=True).first()
        super().save(*args, **kwargs)
        if previous and previous != self.organisation_id:
            self.user.groups.remove(Organisation.objects.get(pk=previous).group)
        self.user.groups.add(self.organisation.group)

    def delete(self, *args, **kwargs):
        self.user.groups.remove(self.organisation.group)
        return super().delete(*args, **kwargs)


class Program(models.TextChoices):
    PEER_SUPPORT = "peer_support", "地域移行・地域定着ピアサポート活動促進事業"
    OUTREACH = "outreach", "自立相談支援機能強化事業"


def one_per_unit_and_year(name: str, agency_name: str) -> list[models.UniqueConstraint]:
    """One row per reporting unit and 年度: the contractor's program, or for outreach one agency of it
    (a 実績報告書 and the year lock its approval sets are both made per unit)."""
    return [
        models.UniqueConstraint(
            fields=["organisation", "program", "fiscal_year"], condition=models.Q(agency__isnull=True), name=name
        ),
        models.UniqueConstraint(
            fields=["agency", "fiscal_year"], condition=models.Q(agency__isnull=False), name=agency_name
        ),
    ]


class PeriodLock(models.Model):
    """An approved annual report freezes one contractor's records of one program and 年度.

    Outreach reports are made per agency (要綱004: one 実績報告書 per 自立相談支援機関): their lock
    names the agency and freezes only its records. A lock without an agency freezes every record
    of the contractor's program (peer support, whose report covers the whole contractor).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, verbose_name="受託事業者")
    program = models.CharField("事業", max_length=20, choices=Program.choices)
    agency = models.ForeignKey(
        "outreach.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="自立相談支援機関",
        help_text="アウトリーチ事業の機関ごとの確定。空欄は受託事業者の当該事業全体の確定です。",
    )
    fiscal_year = models.PositiveSmallIntegerField("年度（西暦）")
    locked_at = models.DateTimeField("確定日時", default=timezone.now)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="確定者"
    )

    class Meta:
        constraints = one_per_unit_and_year("unique_period_lock", "unique_agency_period_lock")
        verbose_name = verbose_name_plural = "年度確定"

    def __str__(self) -> str:
        unit = f"{self.organisation} {self.agency}" if self.agency_id else str(self.organisation)
        return f"{unit} {self.get_program_display()} {fiscal_year_label(self.fiscal_year)}"


class AuditAction(models.TextChoices):
    VIEW = "view", "閲覧"
    CREATE = "create", "登録"
    UPDATE = "update", "変更"
    DELETE = "delete", "削除"
    EXPORT = "export", "出力"
    IMPORT = "import", "取込"
    LOGIN = "login", "ログイン"
    LOGOUT = "logout", "ログアウト"
    LOGIN_FAILED = "login_failed", "ログイン失敗"
    PERMISSION_DENIED = "permission_denied", "権限なし"
    APPROVE = "approve", "承認"
    REOPEN = "reopen", "確定解除"


#: Both programs have a 支援対象者: the audit log says whose.
PROGRAM_SHORT_NAMES = {"peers": "ピアサポート", "outreach": "アウトリーチ"}

#: Audit object types that are not models (the stored value stays the stable key; this is what people read).
OBJECT_TYPES_WITHOUT_MODEL = {
    "two_factor": "2段階認証",
    "reporting.DistrictSummary": "区域の集計",
    "axes.AccessAttempt": "ログイン制限",
}


def object_type_label(object_type: str) -> str:
    """「支援対象者（アウトリーチ）」 for "outreach.Client": the model's Japanese name, else the stored key."""
    if object_type in OBJECT_TYPES_WITHOUT_MODEL:
        return OBJECT_TYPES_WITHOUT_MODEL[object_type]
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    program = PROGRAM_SHORT_NAMES.get(model._meta.app_label)
    return f"{model._meta.verbose_name}（{program}）" if program else str(model._meta.verbose_name)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("監査ログは変更できません。")

    def delete(self):
        raise PermissionError("監査ログは削除できません。")


class AuditEvent(models.Model):
    """Who did what to which record, when and from where. Append-only."""

    at = models.DateTimeField("日時", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="利用者",
    )
    username = models.CharField("ユーザー名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField("対象の種類", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("対象ID", max_length=64, blank=True)
    object_repr = models.CharField("対象", max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="対象の組織",
    )
    ip_address = models.GenericIPAddressField("IPアドレス", null=True, blank=True)
    path = models.CharField("URL", max_length=300, blank=True)
    detail = models.TextField("詳細", blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = verbose_name_plural = "監査ログ"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"

    @property
    def object_type_label(self) -> str:
        return object_type_label(self.object_type)

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("監査ログは変更できません。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("監査ログは削除できません。")
