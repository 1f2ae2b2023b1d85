"""The shapes every peers screen shares: list (search, filters, sort, pages, CSV), detail, form, delete.

Concrete screens declare their columns, filters and selector; reads go through the selectors
(scoped by `visible_to`), objects through `get_visible_or_404`, writes through the services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import CreateView, DeleteView, DetailView, TemplateView, UpdateView

from accounts.audit import audit_list
from accounts.exports import audited_export, wants_export
from accounts.import_registry import kinds_for
from accounts.listing import paginate, sort_queryset
from accounts.mixins import (
    RoleRequiredMixin,
    TenantDeleteMixin,
    TenantFormMixin,
    TenantQuerysetMixin,
)
from accounts.models import Role
from accounts.wareki import to_wareki
from peers import services
from peers.selectors import has_active_coordinator

VIEW_ROLES = (Role.PREFECTURE, Role.COORDINATOR)
EDIT_ROLES = (Role.COORDINATOR,)


@dataclass(frozen=True)
class Column:
    """A column of a list (and of its CSV): header, cell value, optional sort key."""

    label: str
    value: Callable[[Any], Any]
    sort: str = ""
    num: bool = False
    link: bool = False
    yen: bool = False


CONTRACTOR_COLUMN = Column("受託事業者", lambda o: o.organisation.name, sort="organisation")


class PeerPageMixin:
    """Context every contractor page shows: a warning when no coordinator is placed (第2条(1))."""

    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["title"] = self.title
        if user.role == Role.COORDINATOR:
            context["missing_coordinator"] = not has_active_coordinator(user.organisation)
        return context


class PeerListView(PeerPageMixin, RoleRequiredMixin, TemplateView):
    allowed_roles = VIEW_ROLES
    template_name = "peers/list.html"
    filter_form_class: type
    columns: list[Column] = []
    default_sort = "-pk"
    create_url_name = ""
    create_roles = EDIT_ROLES
    empty_message = "まだ登録されていません。"
    csv_name = ""
    extra_links: list[tuple[str, str]] = []  # (label, url name) shown in the toolbar

    def selector(self, filters: dict):
        raise NotImplementedError

    def get_columns(self) -> list[Column]:
        if self.request.user.role == Role.PREFECTURE:
            return [CONTRACTOR_COLUMN, *self.columns]
        return list(self.columns)

    def csv_columns(self) -> list[Column]:
        return self.get_columns()

    def get(self, request, *args, **kwargs):
        form = self.filter_form_class(request.GET or None, user=request.user)
        filters = form.cleaned_data if form.is_valid() else {}
        sort_fields = {column.sort: column.sort for column in self.get_columns() if column.sort}
        default = self.default_sort if self.default_sort.lstrip("-") in sort_fields else next(iter(sort_fields))
        queryset, current_sort = sort_queryset(request, self.selector(filters), sort_fields, default)
        if wants_export(request):
            return self.export(queryset)
        audit_list(request.user, queryset.model)
        page = paginate(request, queryset)
        columns = self.get_columns()
        rows = [(obj, [(column, column.value(obj)) for column in columns]) for obj in page.object_list]
        context = self.get_context_data(
            form=form,
            page=page,
            rows=rows,
            columns=columns,
            current_sort=current_sort,
            filtered=bool(filters and any(filters.values())),
            can_create=bool(self.create_url_name) and request.user.role in self.create_roles,
            create_url=reverse(self.create_url_name) if self.create_url_name else "",
            empty_message=self.empty_message,
            extra_links=[(label, reverse(name)) for label, name in self.extra_links],
            import_url=self.import_url(),
        )
        return self.render_to_response(context)

    def import_url(self) -> str:
        """The Excel・CSV import whose records this list shows, for the roles that may run it."""
        view_name = self.request.resolver_match.view_name if self.request.resolver_match else ""
        for kind in kinds_for(self.request.user.role):
            if kind.list_url_name == view_name:
                return reverse("accounts:import_upload", args=[kind.key])
        return ""

    def export(self, queryset):
        """CSV (UTF-8 with BOM), CSV (Shift_JIS) or Excel of the filtered list, with 和暦 next to dates."""
        columns = self.csv_columns()
        sample = list(queryset[:50])
        dated = {index for index, column in enumerate(columns) if any(_is_date(column.value(obj)) for obj in sample)}
        header = []
        for index, column in enumerate(columns):
            header.append(column.label)
            if index in dated:
                header.append(f"{column.label}（和暦）")

        def rows():
            for obj in queryset.iterator(chunk_size=2000):
                row = []
                for index, column in enumerate(columns):
                    value = column.value(obj)
                    row.append(value)
                    if index in dated:
                        row.append(to_wareki(value) if _is_date(value) else "")
                yield row

        return audited_export(
            self.request, model=queryset.model, filename_stem=self.csv_name or self.title, header=header, rows=rows()
        )


def _is_date(value) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


class PeerDetailView(PeerPageMixin, TenantQuerysetMixin, DetailView):
    allowed_roles = VIEW_ROLES
    template_name = "peers/detail.html"
    fields: list[Column] = []
    edit_url_name = ""
    delete_url_name = ""
    list_url_name = ""
    edit_roles = EDIT_ROLES

    def get_fields(self) -> list[Column]:
        return self.fields

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        can_edit = self.request.user.role in self.edit_roles
        context.update(
            details=[(column.label, column.value(obj)) for column in self.get_fields()],
            edit_url=reverse(self.edit_url_name, args=[obj.pk]) if can_edit and self.edit_url_name else "",
            delete_url=reverse(self.delete_url_name, args=[obj.pk]) if can_edit and self.delete_url_name else "",
            list_url=reverse(self.list_url_name) if self.list_url_name else "",
        )
        return context


class PeerFormMixin(PeerPageMixin, TenantFormMixin):
    """Create/update through the services; errors from model rules or the year lock go on the form."""

    allowed_roles = EDIT_ROLES
    template_name = "peers/form.html"
    m2m_fields: tuple[str, ...] = ()
    cancel_url_name = ""

    def get_organisation(self):
        obj = getattr(self, "object", None)
        if obj is not None and obj.pk:
            return obj.organisation
        return self.request.user.organisation

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisation"] = self.get_organisation()
        return kwargs

    def save(self, obj, form):
        m2m = {name: form.cleaned_data[name] for name in self.m2m_fields}
        return services.record_save(record=obj, by=self.request.user, m2m=m2m)

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = getattr(self, "object", None)
        if obj is not None and obj.pk:
            context["cancel_url"] = obj.get_absolute_url()
        elif self.cancel_url_name:
            context["cancel_url"] = reverse(self.cancel_url_name)
        return context


class PeerCreateView(PeerFormMixin, CreateView):
    success_message = "登録しました。"


class PeerUpdateView(PeerFormMixin, UpdateView):
    object_action = "change"
    success_message = "変更を保存しました。"


class PeerDeleteView(PeerPageMixin, TenantDeleteMixin, DeleteView):
    allowed_roles = EDIT_ROLES
    template_name = "peers/confirm_delete.html"
    success_url_name = ""

    def get_success_url(self):
        return reverse(self.success_url_name)

    def get_context_data(self, **kwargs):
        return super().get_context_data(verbose_name=self.model._meta.verbose_name, **kwargs)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                "他の記録（活動記録など）から参照されているため削除できません。先にそちらを変更してください。",
            )
            return HttpResponseRedirect(self.object.get_absolute_url())


def yes_no(value) -> str:
    return "はい" if value else "いいえ"
