"""Login and sign-up are rate limited in the shared Redis (django-ratelimit), in Korean."""

import pytest
import redis
from django.contrib.auth.models import User


@pytest.fixture
def limits_on(settings, redis_url):
    settings.RATELIMIT_ENABLE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    redis.Redis.from_url(redis_url).flushdb()
    return settings


def test_a_sixth_login_for_one_account_within_a_minute_is_a_korean_429(client, db, limits_on):
    User.objects.create_user("minji", password="right-password-2026")
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "minji", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post("/accounts/login/", {"username": "minji", "password": "right-password-2026"})
    assert response.status_code == 429
    assert "로그인 시도가 너무 많습니다" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_another_account_from_the_same_address_still_logs_in(client, db, limits_on):
    User.objects.create_user("minji", password="pw-minji-2026")
    User.objects.create_user("haneul", password="pw-haneul-2026")
    for _ in range(6):
        client.post("/accounts/login/", {"username": "minji", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "haneul", "password": "pw-haneul-2026"})
    assert response.status_code == 302


def test_the_count_lives_in_redis_so_every_process_sees_it(client, db, limits_on, redis_url):
    client.post("/accounts/login/", {"username": "minji", "password": "wrong"})
    keys = redis.Redis.from_url(redis_url).keys("kubaeum:*")
    assert keys, "django-ratelimit counted nowhere shared"


def test_sign_ups_from_one_address_are_limited(client, db, limits_on):
    limits_on.SIGNUP_RATE_PER_IP = "2/h"
    for i in range(2):
        client.post("/accounts/signup/", {"username": f"u{i}", "password1": "x", "password2": "y"})
    response = client.post(
        "/accounts/signup/",
        {"username": "new", "password1": "kube-learn-2026!", "password2": "kube-learn-2026!"},
    )
    assert response.status_code == 429
    assert "회원가입 시도가 너무 많습니다" in response.content.decode()
    assert not User.objects.filter(username="new").exists()


def test_with_redis_unreachable_people_can_still_log_in(client, db, limits_on, settings):
    from tests.servers import free_port

    settings.CACHES = {
        **settings.CACHES,
        "shared": {**settings.CACHES["shared"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"},
    }
    User.objects.create_user("minji", password="pw-minji-2026")
    response = client.post("/accounts/login/", {"username": "minji", "password": "pw-minji-2026"})
    assert response.status_code == 302
