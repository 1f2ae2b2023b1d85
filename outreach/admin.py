"""Admin for every outreach model. Day-to-day work happens in the app's own pages; the admin is for support staff.

Saves and deletes go through the outreach services, so the admin obeys the same year lock as the
screens and imports: a record of a 年度 whose report was approved is read-only here, and a form
that would put a record into such a 年度 is refused with the reason next to it. Every page that shows
clients' personal data is written to the audit log (`accounts.admin_audit`); the saves by the services.
"""

from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from guardian.admin import GuardedModelAdmin

from accounts.admin_audit import PersonalDataAdminMixin
from accounts.admin_year_lock import YearLockAdminMixin
from accounts.admin_year_lock import YearLockForm as BaseYearLockForm
from accounts.services import save_tenant_record
from outreach import services
from outreach.models import (
    Agency,
    Client,
    CohortSetting,
    Contact,
    Linkage,
    Outcome,
    OutreachContract,
    OutreachWorker,
    PlanReview,
    SocialResource,
    SupportMeeting,
    SupportPlan,
)


class YearLockForm(BaseYearLockForm):
    """The shared admin form, with the outreach rules (a client's intake and closing dates)."""

    ensure_open = staticmethod(services.ensure_record_open)


# The year lock first: its bulk deletion goes record by record through the services, which audit.
class TenantAdmin(YearLockAdminMixin, PersonalDataAdminMixin, GuardedModelAdmin):
    form = YearLockForm
    list_select_related = ["organisation"]
    readonly_fields = ["created_at", "updated_at", "created_by"]

    def is_frozen(self, obj) -> bool:
        return services.is_record_frozen(obj)

    def has_change_permission(self, request, obj=None):
        # An ongoing case stays editable (services.client_save refuses what an approved report counted).
        if isinstance(obj, Client):
            return super(YearLockAdminMixin, self).has_change_permission(request, obj)
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if isinstance(obj, Client):
            services.client_save(client=obj, by=request.user)
        else:
            save_tenant_record(obj, by=request.user)

    def delete_model(self, request, obj):
        services.record_delete(record=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        """Inline tenant records (a plan's reviews) are saved like any other: creator, grants, audit."""
        for obj in formset.save(commit=False):
            save_tenant_record(obj, by=request.user)
        for obj in formset.deleted_objects:
            services.record_delete(record=obj, by=request.user)
        formset.save_m2m()


@admin.register(Agency)
class AgencyAdmin(TenantAdmin):
    list_display = ["name", "organisation", "is_active"]
    list_filter = ["is_active", "organisation"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]


@admin.register(OutreachContract)
class OutreachContractAdmin(TenantAdmin):
    list_display = ["agency", "fiscal_year", "amount", "start_date", "end_date"]
    list_filter = ["fiscal_year"]
    list_select_related = ["organisation", "agency"]


@admin.register(OutreachWorker)
class OutreachWorkerAdmin(TenantAdmin):
    list_display = ["user", "agency", "qualification", "is_active"]
    list_filter = ["qualification", "is_active"]
    list_select_related = ["organisation", "agency", "user"]
    raw_id_fields = ["user"]


@admin.register(Client)
class ClientAdmin(TenantAdmin):
    list_display = ["number", "name", "agency", "status", "registered_on"]
    list_filter = ["status", "in_cohort"]
    list_select_related = ["organisation", "agency"]
    search_fields = ["number", "search_key"]
    raw_id_fields = ["worker"]
    readonly_fields = [*TenantAdmin.readonly_fields, "search_key", "in_cohort"]


@admin.register(Contact)
class ContactAdmin(TenantAdmin):
    list_display = ["date", "start_time", "client", "kind", "is_weekend", "is_holiday", "is_year_end", "is_after_hours"]
    list_filter = ["kind", "is_outside_hours", "is_weekend", "is_holiday", "is_year_end", "is_after_hours"]
    list_select_related = ["organisation", "client"]
    date_hierarchy = "date"
    raw_id_fields = ["client", "worker"]
    readonly_fields = [
        *TenantAdmin.readonly_fields,
        "is_weekend",
        "is_holiday",
        "holiday_name",
        "is_year_end",
        "is_after_hours",
        "is_outside_hours",
    ]


class ReviewFormSet(BaseInlineFormSet):
    """A review added here belongs to its plan's contractor: set before validation, so the year lock
    and the model rules see it (the organisation is not a field of the inline)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if form.instance.organisation_id is None:
            form.instance.organisation_id = self.instance.organisation_id
        return form


class PlanReviewInline(admin.TabularInline):
    model = PlanReview
    form = YearLockForm
    formset = ReviewFormSet
    extra = 0
    can_delete = False  # delete a review on its own page, where the year lock is checked
    fields = ["reviewed_on", "summary", "next_review_on"]


@admin.register(SupportPlan)
class SupportPlanAdmin(TenantAdmin):
    list_display = ["client", "made_on", "next_review_on"]
    list_select_related = ["organisation", "client"]
    raw_id_fields = ["client"]
    inlines = [PlanReviewInline]


@admin.register(PlanReview)
class PlanReviewAdmin(TenantAdmin):
    list_display = ["plan", "reviewed_on", "next_review_on"]
    raw_id_fields = ["plan"]


@admin.register(SupportMeeting)
class SupportMeetingAdmin(TenantAdmin):
    list_display = ["date", "kind", "agency"]
    list_filter = ["kind"]
    list_select_related = ["organisation", "agency"]
    raw_id_fields = ["clients"]


@admin.register(Linkage)
class LinkageAdmin(TenantAdmin):
    list_display = ["date", "client", "resource", "result"]
    list_filter = ["result", "resource__kind"]
    list_select_related = ["organisation", "client", "resource"]
    raw_id_fields = ["client"]


@admin.register(Outcome)
class OutcomeAdmin(TenantAdmin):
    list_display = ["date", "client", "kind"]
    list_filter = ["kind"]
    list_select_related = ["organisation", "client"]
    raw_id_fields = ["client"]


@admin.register(SocialResource)
class SocialResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(CohortSetting)
class CohortSettingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "school_leaving_from", "school_leaving_to", "updated_at"]

    def has_add_permission(self, request):
        return not CohortSetting.objects.exists()

    def save_model(self, request, obj, form, change):
        """Through the service, like the cohort page: re-judge the clients (not those of approved years)."""
        result = services.cohort_update(cohort=obj, by=request.user)
        self.message_user(request, result.message, messages.WARNING if result.kept else messages.INFO)
