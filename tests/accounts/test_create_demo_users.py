"""`make run` prints the demo logins: a student, an instructor and an admin who can open /admin/."""

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command


def test_demo_users_include_an_admin_and_print_every_login(db, client):
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    text = out.getvalue()
    assert "student / kubaeum-student" in text and "instructor / kubaeum-instructor" in text
    assert "admin / kubaeum-admin" in text and "/admin/" in text
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert client.login(username="admin", password="kubaeum-admin")
    assert client.get("/admin/").status_code == 200


def test_running_it_again_resets_the_passwords(db):
    call_command("create_demo_users", stdout=StringIO())
    user = User.objects.get(username="admin")
    user.set_password("changed")
    user.save()
    call_command("create_demo_users", stdout=StringIO())
    user.refresh_from_db()
    assert user.check_password("kubaeum-admin")
