"""The site administrators' moderation queue for page claims."""

from django.contrib import admin

from pages import services
from pages.models import Page, PageClaim


@admin.register(Page)
class PageAdminView(admin.ModelAdmin):
    list_display = ("name", "kind", "slug", "claimed", "followers_count")
    list_filter = ("kind", "claimed")
    search_fields = ("name", "slug")


@admin.action(description="Approve the selected claims")
def approve(modeladmin, request, queryset):
    for claim in queryset:
        services.decide_claim(claim_id=claim.pk, approve=True)


@admin.action(description="Refuse the selected claims")
def refuse(modeladmin, request, queryset):
    for claim in queryset:
        services.decide_claim(claim_id=claim.pk, approve=False)


@admin.register(PageClaim)
class PageClaimAdmin(admin.ModelAdmin):
    list_display = ("page", "member", "status", "created_at")
    list_filter = ("status",)
    actions = [approve, refuse]
