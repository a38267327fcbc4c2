"""Course → Module → Lesson. Slugs are identity (progress points at rows found by slug)."""

from django.db import models
from django.urls import reverse


class PublishedLessons(models.QuerySet):
    def published(self):
        return self.filter(
            status=Lesson.Status.PUBLISHED, module__is_published=True, course__is_published=True
        )


class Course(models.Model):
    slug = models.SlugField("슬러그", max_length=80, unique=True)
    title = models.CharField("제목", max_length=200)
    summary = models.TextField("소개", blank=True)
    order = models.IntegerField("순서", default=0)
    is_published = models.BooleanField("공개", default=True)
    # The course.yaml text as last synced: export writes it back unchanged when the
    # rows still say the same thing, so a round trip is byte-for-byte.
    source = models.TextField("course.yaml 원문", blank=True)
    content_hash = models.CharField("내용 해시", max_length=64, blank=True)
    updated_at = models.DateTimeField("수정 시각", auto_now=True)

    class Meta:
        verbose_name = "강좌"
        verbose_name_plural = "강좌"
        ordering = ["order", "slug"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("courses-course", kwargs={"course": self.slug})


class Module(models.Model):
    course = models.ForeignKey(Course, models.CASCADE, related_name="modules", verbose_name="강좌")
    slug = models.SlugField("슬러그", max_length=80)
    title = models.CharField("제목", max_length=200)
    summary = models.TextField("소개", blank=True)
    order = models.IntegerField("순서", default=0)
    is_published = models.BooleanField("공개", default=True)

    class Meta:
        verbose_name = "모듈"
        verbose_name_plural = "모듈"
        ordering = ["course", "order", "slug"]
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="module_slug_per_course")]

    def __str__(self):
        return self.title


class Lesson(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "초안"
        PUBLISHED = "published", "공개"
        # The file disappeared from content/: hidden, but kept so progress survives.
        ARCHIVED = "archived", "보관 (파일 없음)"

    # Unique per course, not per module: a lesson may move to another module and keep
    # its students' progress.
    course = models.ForeignKey(Course, models.CASCADE, related_name="lessons", verbose_name="강좌")
    module = models.ForeignKey(Module, models.CASCADE, related_name="lessons", verbose_name="모듈")
    slug = models.SlugField("슬러그", max_length=80)
    order = models.IntegerField("순서", default=0)
    title = models.CharField("제목", max_length=200)
    summary = models.TextField("요약", blank=True)
    minutes = models.PositiveIntegerField("예상 학습 시간(분)", default=10)
    objectives = models.JSONField("학습 목표", default=list, blank=True)
    # The whole lesson file (front matter + Markdown body): what authors edit and
    # what export writes back.
    source = models.TextField("원문 (앞머리 + 마크다운)")
    body_html = models.TextField("본문 HTML", blank=True, editable=False)
    toc_html = models.TextField("목차 HTML", blank=True, editable=False)
    content_hash = models.CharField("내용 해시", max_length=64, blank=True)
    status = models.CharField("상태", max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    # An instructor's unpublished edit; students keep seeing the published version.
    draft_source = models.TextField("작성 중인 초안", blank=True)
    updated_at = models.DateTimeField("수정 시각", auto_now=True)

    objects = PublishedLessons.as_manager()

    class Meta:
        verbose_name = "레슨"
        verbose_name_plural = "레슨"
        ordering = ["course", "module__order", "order"]
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="lesson_slug_per_course")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("courses-lesson", kwargs={"course": self.course.slug, "lesson": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
