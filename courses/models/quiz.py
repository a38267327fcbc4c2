from django.db import models


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "단일 선택"
        MULTIPLE = "multiple", "복수 선택"
        SHORT = "short", "단답형"

    lesson = models.ForeignKey(
        "courses.Lesson", models.CASCADE, related_name="questions", verbose_name="레슨"
    )
    key = models.SlugField("문항 ID", max_length=40)
    order = models.IntegerField("순서", default=0)
    kind = models.CharField("유형", max_length=16, choices=Kind.choices)
    prompt = models.TextField("질문")
    prompt_html = models.TextField("질문 HTML", blank=True, editable=False)
    # [{"id": "a", "text": "...", "html": "...", "correct": true}, ...] — kept as JSON
    # because choices are only ever read with their question.
    choices = models.JSONField("선택지", default=list, blank=True)
    answers = models.JSONField("단답 정답", default=list, blank=True)
    explanation = models.TextField("해설")
    explanation_html = models.TextField("해설 HTML", blank=True, editable=False)

    class Meta:
        verbose_name = "퀴즈 문항"
        verbose_name_plural = "퀴즈 문항"
        # lesson_id, not lesson: ordering by the FK would join course and module on every query.
        ordering = ["lesson_id", "order"]
        constraints = [models.UniqueConstraint(fields=["lesson", "key"], name="question_key_per_lesson")]

    def __str__(self):
        return f"{self.lesson} · {self.key}"

    @property
    def choice_ids(self) -> set[str]:
        return {c["id"] for c in self.choices}

    @property
    def correct_ids(self) -> set[str]:
        return {c["id"] for c in self.choices if c.get("correct")}
