"""Password hashing takes a host-wide slot, so logins cannot take every core from pages."""

import fcntl
import os
import threading
import time

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.contrib.auth.models import User

from accounts.hashers import SlottedPBKDF2PasswordHasher, _slot_dir
from kubaeum import settings as production


@pytest.fixture(autouse=True)
def production_hashers(settings):
    """The suite hashes with MD5 for speed (kubaeum/test_settings.py); these tests need ours."""
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def hold_every_slot(settings):
    fds = []
    for index in range(settings.LOGIN_HASH_SLOTS):
        fd = os.open(_slot_dir() / f"slot-{index}", os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        fds.append(fd)
    return fds


def release(fds):
    for fd in fds:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def test_the_default_hasher_keeps_djangos_algorithm_and_cost(settings):
    encoded = make_password("kube-learn-2026!")
    hasher = identify_hasher(encoded)
    assert isinstance(hasher, SlottedPBKDF2PasswordHasher)
    assert encoded.startswith("pbkdf2_sha256$")
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    assert int(encoded.split("$")[1]) == PBKDF2PasswordHasher.iterations  # not cheapened
    assert check_password("kube-learn-2026!", encoded)


def test_a_hash_waits_for_a_free_slot_and_then_runs(settings):
    settings.LOGIN_HASH_SLOTS = 1
    held = hold_every_slot(settings)
    done = []
    worker = threading.Thread(target=lambda: done.append(make_password("x", hasher="pbkdf2_sha256")))
    worker.start()
    time.sleep(0.3)
    assert done == []  # still waiting: the only slot is held
    release(held)
    worker.join(30)
    assert done and done[0].startswith("pbkdf2_sha256$")


def test_a_login_that_finds_every_slot_busy_gets_a_korean_503(client, db, settings):
    User.objects.create_user("minji", password="pw-minji-2026")
    settings.LOGIN_HASH_WAIT_SECONDS = 0.2
    held = hold_every_slot(settings)
    try:
        response = client.post("/accounts/login/", {"username": "minji", "password": "pw-minji-2026"})
    finally:
        release(held)
    assert response.status_code == 503
    assert "로그인하는 사람이 많습니다" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "minji", "password": "pw-minji-2026"})
    assert response.status_code == 302


def test_a_second_login_in_the_same_process_is_answered_at_once_not_queued(client, db, settings):
    """A thread waiting for a hash is a thread no reader gets: the second login while one
    runs in this process gets the Korean 503 immediately."""
    from accounts.hashers import login_turn

    User.objects.create_user("minji", password="pw-minji-2026")
    with login_turn():  # another request thread of this process is inside a login
        started = time.monotonic()
        response = client.post("/accounts/login/", {"username": "minji", "password": "pw-minji-2026"})
        waited = time.monotonic() - started
    assert response.status_code == 503
    assert waited < settings.LOGIN_HASH_WAIT_SECONDS  # it did not wait for a slot
