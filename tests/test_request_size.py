"""The site-wide body guard (kubaeum/middleware.py) and the views' own limits agree."""

from django.test import RequestFactory

from kubaeum.request_size import body_larger_than


def test_an_unreadable_content_length_is_a_korean_400_before_any_view_reads_the_body(student_client):
    response = student_client.post("/labs/", data=b"x=1", content_type="text/plain", CONTENT_LENGTH="12abc")
    assert response.status_code == 400
    assert "잘못된 요청입니다" in response.content.decode()


def test_a_negative_content_length_is_refused_too(client):
    response = client.post("/accounts/login/", data=b"", content_type="text/plain", CONTENT_LENGTH="-5")
    assert response.status_code == 400


def test_a_body_declared_over_the_site_limit_is_a_korean_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = client.post(
        "/accounts/login/", data=b"", content_type="text/plain", CONTENT_LENGTH=str(2 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert "보낸 내용이 너무 큽니다" in response.content.decode()


def test_views_with_their_own_limit_treat_an_unreadable_length_as_too_large():
    factory = RequestFactory()
    assert body_larger_than(factory.post("/", CONTENT_LENGTH="nope"), 100)
    assert body_larger_than(factory.post("/", data=b"x" * 101, content_type="text/plain"), 100)
    assert not body_larger_than(factory.post("/", data=b"x" * 100, content_type="text/plain"), 100)
