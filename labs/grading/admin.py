"""Admin for labs, gradings and solution reveals (the instructors' gradebook view)."""

from django.contrib import admin

from labs.models import Lab, SolutionReveal, Submission


@admin.register(Lab)
class LabAdmin(admin.ModelAdmin):
    list_display = (
        "slug",
        "title",
        "scope",
        "containers",
        "order",
        "is_published",
        "unpublished",
        "updated_at",
    )
    list_filter = ("scope", "containers", "is_published")
    search_fields = ("slug", "title")
    readonly_fields = ("unpublished", "definition", "updated_at")

    @admin.display(description="비공개 사유")
    def unpublished(self, lab):
        return lab.unpublished_reason


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "lab", "state", "score", "max_score", "duration_ms", "created_at")
    list_filter = ("state", "lab")
    search_fields = ("user__username", "lab__slug")
    raw_id_fields = ("user", "session")
    readonly_fields = ("results", "files", "error", "started_at", "finished_at")


@admin.register(SolutionReveal)
class SolutionRevealAdmin(admin.ModelAdmin):
    list_display = ("user", "lab", "revealed_at", "best_score_before")
    list_filter = ("lab",)
    search_fields = ("user__username",)
