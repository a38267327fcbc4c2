from functools import cached_property

from django.db import models


class LabQuerySet(models.QuerySet):
    def published(self):
        """What students see: lists, links from lessons, the gradebook."""
        return self.filter(is_published=True)

    def visible_to(self, user):
        """The one rule for opening a lab: published ones for everyone; staff also preview
        unpublished ones (a lab held back for want of real containers, or a draft)."""
        return self.all() if user.is_staff else self.published()


class Lab(models.Model):
    """A hands-on lab, synced from content/labs/<slug>/ (see labs/grading for the format)."""

    class Scope(models.TextChoices):
        NAMESPACE = "namespace", "네임스페이스"
        CLUSTER = "cluster", "클러스터"
        NONE = "none", "클러스터 불필요 (파일 제출)"

    slug = models.SlugField("슬러그", max_length=80, unique=True)
    title = models.CharField("제목", max_length=200)
    summary = models.TextField("요약", blank=True)
    scope = models.CharField("범위", max_length=16, choices=Scope.choices, default=Scope.NAMESPACE)
    containers = models.BooleanField("실제 컨테이너 필요", default=False)
    time_limit_minutes = models.PositiveIntegerField("제한 시간(분)", default=60)
    # The whole parsed lab file (steps, checks, setup objects, hints, solution).
    definition = models.JSONField("정의", default=dict, blank=True)
    is_published = models.BooleanField("공개", default=True)
    order = models.PositiveIntegerField("순서", default=0)
    updated_at = models.DateTimeField("수정 시각", auto_now=True)

    objects = LabQuerySet.as_manager()

    class Meta:
        verbose_name = "실습"
        verbose_name_plural = "실습"
        ordering = ["order", "slug"]

    def __str__(self):
        return self.title

    @property
    def unpublished_reason(self) -> str:
        """Why the lab is hidden from students, for instructors and admins ('' when published)."""
        if self.is_published:
            return ""
        if self.containers:
            from labs.content import containers_unavailable_reason

            reason = containers_unavailable_reason()
            if reason:
                return reason
        return "비공개 (내용 폴더가 없어졌거나 관리자가 비공개로 바꿨습니다)"

    @cached_property
    def spec(self):
        """The definition as typed, frozen objects (labs/spec.py); a lab with no synced
        definition yet (an admin-made row) reads as one with no steps."""
        from labs.spec import EMPTY, LabDefinition

        return LabDefinition.from_stored(self.definition) if self.definition else EMPTY
