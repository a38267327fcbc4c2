"""Sending tasks: a broker outage is logged and reported, never a 500 or a stopped loop."""

from kubaeum.queueing import send_now
from labs.sandbox.tasks import refill_kwok_pool
from tests.conftest import point_celery_at
from tests.servers import free_port


def test_a_task_sent_now_reaches_the_real_broker(redis_url):
    import redis

    broker = redis.Redis.from_url(redis_url)
    before = broker.llen("celery")
    assert send_now(refill_kwok_pool) is True
    assert broker.llen("celery") == before + 1


def test_a_task_sent_now_while_the_broker_is_down_is_reported_not_raised(redis_url, settings, caplog):
    settings.CELERY_BROKER_URL = dead = f"redis://127.0.0.1:{free_port()}/0"
    point_celery_at(dead)
    try:
        assert send_now(refill_kwok_pool) is False
    finally:
        point_celery_at(redis_url)
    assert "broker unavailable: labs.refill_kwok_pool" in caplog.text
