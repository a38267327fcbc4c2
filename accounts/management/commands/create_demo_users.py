from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from accounts.roles import make_instructor

DEMO_USERS = [
    # (username, password, role)
    ("student", "kubaeum-student", "학생"),
    ("instructor", "kubaeum-instructor", "강사"),
]


class Command(BaseCommand):
    help = "데모 계정(학생 1명, 강사 1명)을 만들거나 비밀번호를 되돌립니다."

    def handle(self, *args, **options):
        for username, password, role in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.save()
            if role == "강사":
                make_instructor(user)
            self.stdout.write(f"  {role}: {username} / {password}")
