"""The admin lists of sessions and console commands stay at a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from labs.models import ConsoleCommand, Lab, LabSession


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_rows(user, count, start):
    for i in range(start, start + count):
        lab = Lab.objects.create(slug=f"lab-{i}", title=f"실습 {i}", scope="namespace")
        session = LabSession.objects.create(user=user, lab=lab, state="ended")
        ConsoleCommand.objects.create(session=session, command="kubectl get pods", exit_code=0)


def test_session_and_command_lists_do_not_query_per_row(admin_client, student):
    _add_rows(student, 1, 0)
    few = [_queries(admin_client, f"/admin/labs/{m}/") for m in ("labsession", "consolecommand")]
    _add_rows(student, 5, 1)
    many = [_queries(admin_client, f"/admin/labs/{m}/") for m in ("labsession", "consolecommand")]
    assert many == few
