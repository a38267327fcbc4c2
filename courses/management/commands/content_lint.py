"""python manage.py content_lint [--dir DIR] [--no-labs]

Checks the course and lab text against content/STYLE.md (glossary, 합니다체, bold that
renders, quiz rules) and prints each finding as `path:line: 메시지`. Exits non-zero when
anything is found, so `make test` (tests/courses/test_content_lint.py) fails on it.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.content.lint import lint_content


class Command(BaseCommand):
    help = "강좌와 실습 글이 content/STYLE.md의 규칙(용어집, 합니다체, 굵게 표시, 퀴즈 규칙)을 지키는지 검사합니다."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=str(settings.CONTENT_DIR), help="콘텐츠 디렉터리 (기본: settings.CONTENT_DIR)"
        )
        parser.add_argument(
            "--no-labs", action="store_true", help="실습(labs/*/lab.yaml)은 검사하지 않습니다."
        )

    def handle(self, *args, **options):
        content_dir = Path(options["dir"])
        if not content_dir.is_dir():
            raise CommandError(f"콘텐츠 디렉터리가 없습니다: {content_dir}")
        errors = lint_content(content_dir, labs=not options["no_labs"])
        for error in errors:
            self.stderr.write(str(error))
        if errors:
            raise CommandError(f"문체·용어 규칙 위반 {len(errors)}건")
        self.stdout.write(self.style.SUCCESS("문체·용어 검사를 통과했습니다."))
