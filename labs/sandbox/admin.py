"""Admin for lab sessions: read-mostly; the encrypted credentials never appear."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from labs.models import LabSession
from labs.sandbox import lifecycle


@admin.register(LabSession)
class LabSessionAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "user",
        "lab",
        "state",
        "provider",
        "namespace",
        "created_at",
        "expires_at",
        "waiting",
    ]
    list_filter = ["state", "provider", "waiting"]
    search_fields = ["user__username", "lab__slug", "namespace", "cluster_name"]
    exclude = ["credentials"]
    readonly_fields = [f.name for f in LabSession._meta.fields if f.name not in ("credentials",)] + [
        "providers_link"
    ]
    actions = ["end_sessions"]

    @admin.display(description="제공자 상태")
    def providers_link(self, obj):
        return format_html('<a href="{}">실습 환경 제공자 상태 보기</a>', reverse("labs-sandbox-providers"))

    @admin.action(description="선택한 실습 세션 종료")
    def end_sessions(self, request, queryset):
        ended = sum(lifecycle.request_end(s, "관리자가 실습을 종료했습니다.") for s in queryset)
        self.message_user(request, f"{ended}개 세션의 종료를 요청했습니다.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False
