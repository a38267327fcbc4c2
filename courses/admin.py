from django import forms
from django.contrib import admin

from .models import Course, Lesson, LessonProgress, Module, Question, QuizAnswer
from .services.authoring import LessonSourceInvalid, apply_source, check_source


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["order", "slug", "title", "is_published"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "order", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "slug"]
    readonly_fields = ["source", "content_hash", "updated_at"]
    inlines = [ModuleInline]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "slug", "order", "is_published"]
    list_filter = ["course", "is_published"]
    search_fields = ["title", "slug"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Lesson pages show module titles and order: a new course timestamp refreshes them.
        obj.course.save(update_fields=["updated_at"])


class LessonAdminForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["course", "module", "slug", "order", "status", "source", "draft_source"]

    def clean(self):
        data = super().clean()
        course, module = data.get("course"), data.get("module")
        if course and module and module.course_id != course.pk:
            self.add_error("module", f"'{module}' 모듈은 '{course}' 강좌에 속하지 않습니다.")
        lesson = self.instance
        lesson.slug = data.get("slug") or lesson.slug
        try:
            check_source(lesson, data.get("source") or "")
        except LessonSourceInvalid as exc:
            self.add_error("source", exc.errors)
        return data


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    form = LessonAdminForm
    list_display = ["title", "course", "module", "slug", "order", "status", "updated_at"]
    list_filter = ["status", "course", "module"]
    search_fields = ["title", "slug"]
    # Title, objectives and quiz come from the source's front matter: edit the source.
    readonly_fields = [
        "title",
        "summary",
        "minutes",
        "objectives",
        "content_hash",
        "updated_at",
    ]
    fields = ["course", "module", "slug", "order", "status", "source", "draft_source", *readonly_fields]

    def save_model(self, request, obj, form, change):
        # Re-derive title, quiz and rendered HTML from the edited source.
        apply_source(obj, obj.source, status=obj.status)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Read-only: questions come from the lesson's front matter (edit the lesson source)."""

    list_display = ["key", "lesson", "kind", "order"]
    list_filter = ["kind", "lesson__course"]
    search_fields = ["prompt", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "last_visited_at", "completed_at"]
    list_filter = ["lesson__course"]
    search_fields = ["user__username", "lesson__title"]
    raw_id_fields = ["user", "lesson"]


@admin.register(QuizAnswer)
class QuizAnswerAdmin(admin.ModelAdmin):
    list_display = ["user", "question", "is_correct", "attempts", "answered_at"]
    # A question's name includes its lesson's title: one join, not a query per row.
    list_select_related = ["user", "question__lesson"]
    list_filter = ["is_correct"]
    search_fields = ["user__username", "question__key"]
    raw_id_fields = ["user", "question"]
