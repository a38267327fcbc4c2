"""Sending tasks: a broker outage is logged and reported, never a 500 or a stopped loop."""

from kubaeum.celery import app
from kubaeum.queueing import send_now
from labs.sandbox.tasks import refill_kwok_pool
from tests.servers import free_port


def test_a_task_sent_now_reaches_the_real_broker(redis_url):
    import redis

    broker = redis.Redis.from_url(redis_url)
    before = broker.llen("celery")
    assert send_now(refill_kwok_pool) is True
    assert broker.llen("celery") == before + 1


def test_a_task_sent_now_while_the_broker_is_down_is_reported_not_raised(redis_url, settings, caplog):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    settings.CELERY_BROKER_URL, app.conf.broker_url = dead, dead
    app.pool.force_close_all()
    try:
        assert send_now(refill_kwok_pool) is False
    finally:
        app.conf.broker_url = redis_url
        app.pool.force_close_all()
    assert "broker unavailable: labs.refill_kwok_pool" in caplog.text
