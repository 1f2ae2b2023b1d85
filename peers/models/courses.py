"""Awareness courses (第4条1(2)ア) and training courses with trainees (第4条1(2)イ)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from accounts.models import HealthCentre
from accounts.tenancy import object_permission_models
from accounts.wareki import to_wareki
from peers.models.base import PeerRecord
from peers.models.supporters import PeerSupporter


class CourseKind(models.TextChoices):
    AWARENESS = "awareness", "ピアサポート講座（普及啓発）"
    TRAINING = "training", "ピアサポーター養成講座"


class Course(PeerRecord):
    #: A training course's page lists its trainees by name (Trainee has no page of its own).
    holds_personal_data = True

    kind = models.CharField(
        "種別",
        max_length=20,
        choices=CourseKind.choices,
        help_text="普及啓発は要綱第4条1(2)ア、養成講座は同(2)イ。",
    )
    date = models.DateField("開催日")
    title = models.CharField("講座名", max_length=100)
    venue = models.CharField("会場", max_length=100)
    district = models.ForeignKey(
        HealthCentre, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="区域（保健所）"
    )
    participants = models.PositiveIntegerField(
        "参加者数", default=0, help_text="養成講座では受講者を下の一覧に登録し、ここには延べ参加者数を入力します。"
    )
    note = models.TextField("内容・備考", blank=True)

    period_date_field = "date"

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = verbose_name_plural = "講座"
        indexes = [models.Index(fields=["organisation", "date"], name="peers_course_org_date")]

    def __str__(self) -> str:
        return f"{to_wareki(self.date)} {self.title}" if self.date else self.title

    def get_absolute_url(self) -> str:
        return reverse("peers:course_detail", args=[self.pk])

    @property
    def is_training(self) -> bool:
        return self.kind == CourseKind.TRAINING


CourseUserObjectPermission, CourseGroupObjectPermission = object_permission_models(Course)


class Trainee(models.Model):
    """A trainee of a training course; a completion can become a peer supporter in one click."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="trainees", verbose_name="講座")
    name = models.CharField("氏名", max_length=60)
    name_kana = models.CharField("フリガナ", max_length=100)
    completed = models.BooleanField("修了", default=False)
    supporter = models.OneToOneField(
        PeerSupporter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="training_record",
        verbose_name="登録したピアサポーター",
    )

    class Meta:
        ordering = ["course", "name_kana", "pk"]
        verbose_name = verbose_name_plural = "養成講座の受講者"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.course_id and not self.course.is_training:
            raise ValidationError("受講者は養成講座にのみ登録できます。")
