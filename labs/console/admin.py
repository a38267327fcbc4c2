"""Admin for the console's command log: read-only, it is an audit trail."""

from django.contrib import admin

from labs.models import ConsoleCommand


@admin.register(ConsoleCommand)
class ConsoleCommandAdmin(admin.ModelAdmin):
    list_display = ["created_at", "session", "command", "state", "exit_code", "duration_ms"]
    list_filter = ["state", "exit_code"]
    search_fields = ["command", "session__user__username"]
    # The session's label names its lab and student.
    list_select_related = ["session__lab", "session__user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
