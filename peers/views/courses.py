"""Awareness courses (第4条1(2)ア) and training courses with trainees (第4条1(2)イ)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.mixins import add_validation_errors
from accounts.permissions import get_visible_or_404
from peers import services
from peers.forms.filters import CourseFilterForm
from peers.forms.records import CourseForm, TraineeFormSet
from peers.models import Course, Trainee
from peers.selectors import course_list
from peers.views.base import (
    EDIT_ROLES,
    Column,
    PeerCreateView,
    PeerDeleteView,
    PeerDetailView,
    PeerListView,
    PeerUpdateView,
)


class CourseListView(PeerListView):
    title = "講座（普及啓発・養成）"
    filter_form_class = CourseFilterForm
    create_url_name = "peers:course_create"
    empty_message = "講座の記録はまだありません。"
    csv_name = "講座"
    default_sort = "-date"
    columns = [
        Column("開催日", lambda c: c.date, sort="date", link=True),
        Column("種別", lambda c: c.get_kind_display(), sort="kind"),
        Column("講座名", lambda c: c.title, sort="title"),
        Column("会場", lambda c: c.venue),
        Column("参加者数", lambda c: c.participants, sort="participants", num=True),
        Column("受講者", lambda c: c.trainee_count if c.is_training else "", num=True),
        Column("修了者", lambda c: c.completion_count if c.is_training else "", num=True),
    ]

    def selector(self, filters):
        return course_list(viewer=self.request.user, filters=filters)


class CourseDetailView(PeerDetailView):
    model = Course
    title = "講座"
    template_name = "peers/course_detail.html"
    edit_url_name = "peers:course_update"
    delete_url_name = "peers:course_delete"
    list_url_name = "peers:course_list"
    fields = [
        Column("受託事業者", lambda c: c.organisation.name),
        Column("種別", lambda c: c.get_kind_display()),
        Column("開催日", lambda c: c.date),
        Column("講座名", lambda c: c.title),
        Column("会場", lambda c: c.venue),
        Column("区域（保健所）", lambda c: c.district.name if c.district else "—"),
        Column("参加者数", lambda c: f"{c.participants}人"),
        Column("内容・備考", lambda c: c.note),
    ]

    def get_context_data(self, **kwargs):
        trainees = list(self.object.trainees.select_related("supporter"))
        return super().get_context_data(
            trainees=trainees, completions=sum(1 for t in trainees if t.completed), **kwargs
        )


class CourseFormMixin:
    """The course and (for training courses) its trainees, saved together."""

    def get_formset(self):
        instance = self.object if getattr(self, "object", None) else Course()
        data = self.request.POST if self.request.method == "POST" else None
        return TraineeFormSet(data=data, instance=instance, prefix="trainees")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.get_formset())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object() if "pk" in self.kwargs else None
        form = self.get_form()
        formset = self.get_formset()
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        course = form.save(commit=False)
        self.assign_owner(course)
        has_trainees = any(
            (f.instance.pk or f.has_changed()) and not f.cleaned_data.get("DELETE") for f in formset.forms
        )
        if not course.is_training and has_trainees:
            form.add_error(
                "kind", "受講者は養成講座にのみ登録できます。種別を「ピアサポーター養成講座」にしてください。"
            )
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        try:
            self.object = services.course_save(course=course, by=request.user, trainee_formset=formset)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(request, self.success_message)
        return redirect(self.object.get_absolute_url())


class CourseCreateView(CourseFormMixin, PeerCreateView):
    model = Course
    form_class = CourseForm
    title = "講座の登録"
    template_name = "peers/course_form.html"
    cancel_url_name = "peers:course_list"


class CourseUpdateView(CourseFormMixin, PeerUpdateView):
    model = Course
    form_class = CourseForm
    title = "講座の変更"
    template_name = "peers/course_form.html"


class CourseDeleteView(PeerDeleteView):
    model = Course
    success_url_name = "peers:course_list"


@require_POST
@role_required(*EDIT_ROLES)
def trainee_register(request, pk: int):
    """One click: a trainee who completed the course becomes a peer supporter (joined via training)."""
    trainee = (
        Trainee.objects.filter(course__in=Course.objects.visible_to(request.user), pk=pk)
        .select_related("course")
        .first()
    )
    # The course decides access (404 for another contractor's, and the object permission to change it).
    get_visible_or_404(request.user, Course, action="change", pk=trainee.course_id if trainee else -pk)
    try:
        supporter = services.supporter_register_from_trainee(trainee=trainee, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(trainee.course.get_absolute_url())
    messages.success(
        request,
        f"「{supporter.name}」さんをピアサポーターとして登録しました。活動条件の説明と誓約書を登録してください。",
    )
    return redirect(supporter.get_absolute_url())
