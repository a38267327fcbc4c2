from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from accounts.roles import make_instructor

DEMO_USERS = [
    # (username, password, role)
    ("student", "kubaeum-student", "학생"),
    ("instructor", "kubaeum-instructor", "강사"),
    # For trying the admin site on a development machine only; a real deployment makes
    # its own with `python manage.py createsuperuser` (see README).
    ("admin", "kubaeum-admin", "관리자"),
]


class Command(BaseCommand):
    help = "데모 계정(학생, 강사, 관리자 한 명씩)을 만들거나 비밀번호를 되돌립니다."

    def handle(self, *args, **options):
        for username, password, role in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            if role == "관리자":
                user.is_staff = user.is_superuser = True
            user.save()
            if role == "강사":
                make_instructor(user)
            extra = "  (관리 화면 /admin/)" if role == "관리자" else ""
            self.stdout.write(f"  {role}: {username} / {password}{extra}")
