from django.contrib.auth.models import User

from accounts.roles import is_instructor


def test_it_signs_up_a_student_and_logs_them_in(client, db):
    response = client.post(
        "/accounts/signup/",
        {"username": "minji", "email": "", "password1": "kube-learn-2026!", "password2": "kube-learn-2026!"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="minji")
    assert not is_instructor(user)
    assert client.get("/").wsgi_request.user == user


def test_it_refuses_a_signup_with_mismatched_passwords_in_korean(client, db):
    response = client.post(
        "/accounts/signup/",
        {"username": "minji", "password1": "kube-learn-2026!", "password2": "other-2026!"},
    )
    assert response.status_code == 400
    assert "비밀번호" in response.content.decode()
    assert not User.objects.filter(username="minji").exists()


def test_login_page_is_korean(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "로그인" in response.content.decode()


def test_instructor_role_is_a_group(instructor, student):
    assert is_instructor(instructor)
    assert not is_instructor(student)


def test_it_keeps_the_test_redis_real(redis_server):
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.set("kubaeum:probe", "ok")
    assert client.get("kubaeum:probe") == b"ok"
