from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from courses.content.export import export_courses


class Command(BaseCommand):
    help = "데이터베이스의 강좌와 레슨을 content/ 파일(course.yaml, 레슨 .md)로 내보냅니다."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=str(settings.CONTENT_DIR), help="내보낼 폴더 (기본: settings.CONTENT_DIR)"
        )

    def handle(self, *args, **options):
        written, unchanged = export_courses(Path(options["dir"]))
        self.stdout.write(
            self.style.SUCCESS(f"내보내기 완료: 파일 {written}개 작성, {unchanged}개 변경 없음.")
        )
