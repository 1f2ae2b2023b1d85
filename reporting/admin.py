from django.contrib import admin

from reporting.models import AnnualReport, ReportTransition


class ReportTransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "from_status", "to_status", "by", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    """Read-only: reports are written, submitted, approved and reopened in the app, where it is logged."""

    list_display = ["fiscal_year", "organisation", "agency", "program", "status", "submitted_at", "approved_at"]
    list_filter = ["fiscal_year", "program", "status"]
    search_fields = ["organisation__name", "organisation__code", "agency__name"]
    list_select_related = ["organisation", "agency"]
    inlines = [ReportTransitionInline]
    readonly_fields = [
        "organisation",
        "agency",
        "program",
        "fiscal_year",
        "status",
        "submitted_at",
        "approved_at",
        "approved_by",
        "reopened_at",
        "stored_pdf",
        "outcomes_text",
        "effects_text",
        "issues_text",
        "created_at",
        "updated_at",
        "created_by",
    ]

    exclude = ["approved_pdf"]

    @admin.display(description="承認時のPDF")
    def stored_pdf(self, obj) -> str:
        # Private file: no public URL; it is downloaded from the report page, where access is checked.
        return obj.approved_pdf.name or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportTransition)
class ReportTransitionAdmin(admin.ModelAdmin):
    list_display = ["at", "report", "from_status", "to_status", "by"]
    list_filter = ["to_status"]
    list_select_related = ["report__organisation", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
