from django.db import connection

from labs.models import LabSession
from labs.sandbox import crypto

KUBECONFIG = "users:\n- name: s\n  user:\n    token: eyJhbGciOiJSUzI1NiJ9.secret-token-value\n"


def test_credentials_are_encrypted_in_the_database_column(student, lab):
    session = LabSession.objects.create(user=student, lab=lab)
    session.set_kubeconfig(KUBECONFIG)
    session.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM labs_labsession WHERE id = %s", [session.pk])
        raw = cursor.fetchone()[0]
    assert "secret-token-value" not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    assert LabSession.objects.get(pk=session.pk).kubeconfig_text == KUBECONFIG


def test_credentials_encrypted_with_another_key_read_as_empty(student, lab, settings):
    token = crypto.encrypt(KUBECONFIG)
    settings.LAB_CREDENTIALS_KEY = "a-different-key"
    assert crypto.decrypt(token) == ""


def test_admin_never_shows_the_credentials_field(admin_client, student, lab):
    session = LabSession.objects.create(user=student, lab=lab)
    session.set_kubeconfig(KUBECONFIG)
    session.save()
    page = admin_client.get(f"/admin/labs/labsession/{session.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "secret-token-value" not in body
    assert session.credentials not in body
