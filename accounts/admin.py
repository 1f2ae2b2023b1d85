from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import (
    AuditEvent,
    FiscalYear,
    HealthCentre,
    Membership,
    Municipality,
    Organisation,
    PeriodLock,
    User,
)


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    extra = 0


@admin.register(HealthCentre)
class HealthCentreAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "operator", "sort_order"]
    inlines = [MunicipalityInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "health_centre"]
    list_filter = ["health_centre", "kind"]
    search_fields = ["name"]


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "label"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "runs_peer_support", "runs_outreach", "is_active"]
    list_filter = ["kind", "runs_peer_support", "runs_outreach", "is_active"]
    search_fields = ["code", "name", "name_kana"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "last_name", "first_name", "membership", "is_active", "last_login"]
    list_select_related = ["membership__organisation"]


@admin.register(PeriodLock)
class PeriodLockAdmin(admin.ModelAdmin):
    """Locks are set by approving a report and lifted by reopening it, both in the app (and logged)."""

    list_display = ["organisation", "agency", "program", "fiscal_year", "locked_at", "locked_by"]
    list_filter = ["program", "fiscal_year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit rows cannot be added, edited or deleted by anyone."""

    list_display = ["at", "username", "action", "object_type", "object_id", "object_repr", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
