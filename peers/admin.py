"""Admin for every peers model. Tenant records save through the same service as the screens."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from guardian.admin import GuardedModelAdmin

from accounts.admin_audit import PersonalDataAdminMixin
from accounts.admin_year_lock import YearLockAdminMixin
from accounts.services import delete_tenant_record, save_tenant_record
from peers.forms.widgets import PrivateFileInput
from peers.models import (
    Activity,
    ActivitySupporter,
    Contract,
    Coordinator,
    CouncilReport,
    Course,
    Expenditure,
    HealthCentreActivity,
    Hospital,
    PeerSupporter,
    PersonSupported,
    Pledge,
    SupporterConditions,
    Trainee,
    record_related_in_history,
)
from peers.services import pledge_save


class TenantAdmin(YearLockAdminMixin, PersonalDataAdminMixin, GuardedModelAdmin):
    """Saves validate, check the year lock, grant the organisation's group and write the audit log.

    A record of an approved (frozen) 年度 is read-only here (accounts.admin_year_lock); pages showing
    personal data are audited by `PersonalDataAdminMixin`; saves and deletes by the services.
    """

    list_filter = ["organisation"]
    list_select_related = ["organisation"]

    def save_model(self, request, obj, form, change):
        save_tenant_record(obj, by=request.user)

    def delete_model(self, request, obj):
        delete_tenant_record(obj, by=request.user)


@admin.register(Hospital)
class HospitalAdmin(admin.ModelAdmin):
    list_display = ["name", "health_centre", "is_active", "sort_order"]
    list_filter = ["health_centre", "is_active"]
    search_fields = ["name"]


@admin.register(Contract)
class ContractAdmin(TenantAdmin):
    list_display = ["organisation", "fiscal_year", "amount", "start_date", "end_date"]
    list_filter = ["fiscal_year", "organisation"]
    filter_horizontal = ["districts"]


@admin.register(Coordinator)
class CoordinatorAdmin(TenantAdmin):
    list_display = ["name", "organisation", "qualification", "is_active"]
    search_fields = ["name", "name_kana"]


@admin.register(PeerSupporter)
class PeerSupporterAdmin(TenantAdmin):
    list_display = ["name", "name_kana", "organisation", "status", "start_date"]
    search_fields = ["name", "name_kana"]


@admin.register(SupporterConditions)
class SupporterConditionsAdmin(TenantAdmin):
    list_display = ["supporter", "told_on", "hourly_pay", "organisation"]
    list_select_related = ["organisation", "supporter"]


@admin.register(Pledge)
class PledgeAdmin(TenantAdmin):
    list_display = ["supporter", "signed_on", "valid_until", "withdrawn_on", "organisation"]
    list_select_related = ["organisation", "supporter"]
    # Scans have no public URL: never render a link to them.
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput}}

    def save_model(self, request, obj, form, change):
        pledge_save(pledge=obj, by=request.user)


@admin.register(PersonSupported)
class PersonSupportedAdmin(TenantAdmin):
    list_display = ["code", "organisation", "hospital", "support_started_on", "discharged_on"]
    search_fields = ["code"]


class ActivitySupporterInline(admin.TabularInline):
    model = ActivitySupporter
    extra = 0
    autocomplete_fields = ["supporter"]


@admin.register(Activity)
class ActivityAdmin(TenantAdmin):
    list_display = ["date", "kind", "organisation", "district", "hospital", "participants"]
    list_filter = ["kind", "organisation", "district"]
    list_select_related = ["organisation", "district", "hospital"]
    date_hierarchy = "date"
    inlines = [ActivitySupporterInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_related_in_history(form.instance)  # the people and supporters' rows, once saved


class TraineeInline(admin.TabularInline):
    model = Trainee
    extra = 0


@admin.register(Course)
class CourseAdmin(TenantAdmin):
    list_display = ["date", "kind", "title", "organisation", "participants"]
    list_filter = ["kind", "organisation"]
    inlines = [TraineeInline]


@admin.register(CouncilReport)
class CouncilReportAdmin(TenantAdmin):
    list_display = ["date", "council", "district", "organisation"]
    list_select_related = ["organisation", "district"]


@admin.register(Expenditure)
class ExpenditureAdmin(TenantAdmin):
    list_display = ["date", "category", "amount", "payee", "organisation"]
    list_filter = ["category", "organisation"]


@admin.register(HealthCentreActivity)
class HealthCentreActivityAdmin(TenantAdmin):
    list_display = ["date", "kind", "title", "organisation"]
    list_filter = ["kind", "organisation"]
