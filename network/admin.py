"""B3's moderation queue (open reports first) and read-only views of the network's records."""

from django.contrib import admin, messages

from network import services
from network.models import Block, Connection, Invitation, Report


class OpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("resolved", "Resolved")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reporter", "member", "kind", "reason", "resolved_at"]
    list_filter = [OpenFilter, "reason", "kind"]
    search_fields = ["member__username", "reporter__username", "comment"]
    ordering = ["resolved_at", "-created_at"]
    readonly_fields = ["reporter", "member", "kind", "target_id", "reason", "comment"]
    readonly_fields += ["created_at", "resolved_at", "resolved_by"]
    list_select_related = ["reporter", "member"]
    actions = ["mark_resolved"]

    @admin.action(description="Mark the selected reports as resolved")
    def mark_resolved(self, request, queryset):
        count = services.resolve_reports(
            report_ids=list(queryset.values_list("pk", flat=True)), by=request.user
        )
        self.message_user(request, f"{count} report(s) resolved.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "sender", "recipient", "status", "reason"]
    list_filter = ["status"]
    raw_id_fields = ["sender", "recipient"]


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "member_a", "member_b", "reason"]
    raw_id_fields = ["member_a", "member_b", "invitation"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["created_at", "blocker", "blocked"]
    raw_id_fields = ["blocker", "blocked"]
