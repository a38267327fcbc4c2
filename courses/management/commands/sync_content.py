"""python manage.py sync_content [--dir DIR]

Runs every content syncer inside ONE transaction: courses (courses.content.sync) and,
when the labs app provides `labs.content.sync_labs(content_dir, stdout)`, labs. A syncer
raises ContentInvalid (a list of `path:line: 메시지`) to roll everything back.
"""

import importlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from courses.content.errors import ContentInvalid
from courses.content.sync import sync_courses


def syncers():
    found = [("강좌", sync_courses)]
    try:
        labs_content = importlib.import_module("labs.content")
    except ModuleNotFoundError as exc:
        if exc.name not in ("labs.content", "labs"):
            raise
    else:
        if hasattr(labs_content, "sync_labs"):
            found.append(("실습", labs_content.sync_labs))
    return found


class Command(BaseCommand):
    help = "content/ 폴더의 강좌(와 실습)를 데이터베이스로 불러옵니다. 하나라도 잘못되면 아무것도 바꾸지 않습니다."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=str(settings.CONTENT_DIR), help="콘텐츠 폴더 (기본: settings.CONTENT_DIR)"
        )

    def handle(self, *args, **options):
        content_dir = Path(options["dir"])
        if not content_dir.is_dir():
            raise CommandError(f"콘텐츠 폴더가 없습니다: {content_dir}")
        try:
            with transaction.atomic():
                for name, sync in syncers():
                    self.stdout.write(f"[{name}]")
                    sync(content_dir, self.stdout)
        except ContentInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"콘텐츠 오류 {len(exc.errors)}건: 데이터베이스는 바꾸지 않았습니다."
            ) from None
        self.stdout.write(self.style.SUCCESS("콘텐츠 동기화를 마쳤습니다."))
