"""Bounded property-based fuzzing (Hypothesis): no input to any form, the YAML editor or a
file-lab submission gives a 5xx, and a stored file-lab submission always renders.

Bodies are built as raw bytes (any byte, any declared charset), so inputs a browser would
never send reach Django exactly as a hostile client sends them.
"""

import urllib.parse

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.content.sync import sync_courses
from courses.models import Lesson
from labs.content import sync_labs
from labs.grading.services import grade_submission
from labs.models import Lab, Submission
from tests.courses.conftest import write_tree
from tests.labs.workspace.conftest import make_ready_session

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same inputs on every run: a failure is reproducible, never flaky
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Pieces that broke parsers before, mixed with anything Hypothesis likes.
YAML_PIECES = [
    "apiVersion: v1\n", "apiVersion: apps/v1/x\n", "kind: ConfigMap\n", "kind: Pod\n",
    "metadata:\n  name: x\n", "metadata: {name: x}\n", "data:\n  a: b\n", "  a: c\n",
    "spec:\n  containers:\n  - name: a\n    image: b\n    env: 5\n", "  ports: x\n",
    "a: !!int 'x'\n", "a: !!bool maybe\n", "a: !!float nan-ish\n", 'a: "\\ud800"\n',
    'a: "\\udfff\\ud800"\n', "a: \x80\n", "a: \ufffe\n", "a: \ufeff\n", "a: &x [*x]\n",
    "b: &a {c: 1}\nd:\n  <<: *a\n", "<<: 5\n", "---\n", "...\n", "- \n", "? [a]\n: b\n",
    "{", "[", "'", '"', "\t", "%YAML 1.1\n", "!!python/object:os.system\n", "\\", "\u2028",
]  # fmt: skip
yaml_text = st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=30)), max_size=12).map("".join)

CHARSETS = ["utf-8", "utf-16", "latin-1", "euc-kr", "foo", "", "utf-8; x=y", "utf-32", "ascii", "rot13"]
CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "text/plain"]


def form_body(fields: dict[str, bytes]) -> bytes:
    return "&".join(f"{k}={urllib.parse.quote_from_bytes(v)}" for k, v in fields.items()).encode()


def assert_not_5xx(response, what):
    assert response.status_code < 500, f"{what}: {response.status_code}\n{response.content[:500]!r}"


@pytest.fixture
def world(student, instructor, tmp_path, settings):
    """A course with quizzes, the repo's labs, and a ready lab session for the student."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sync_courses(write_tree(tmp_path / "content"))
    sync_labs(settings.CONTENT_DIR)

    lab = Lab.objects.get(slug="first-pod")
    session = make_ready_session(student, lab)
    lesson = Lesson.objects.first()
    return {"lab": lab, "session": session, "lesson": lesson}


def student_http(student):
    client = Client(raise_request_exception=False)
    client.force_login(student)
    return client


@pytest.mark.django_db
@FUZZ
@given(text=yaml_text)
def test_the_yaml_editor_never_answers_5xx(world, student, text):
    client = student_http(student)
    for name in ("labs-validate", "labs-apply"):
        response = client.post(reverse(name, args=[world["session"].pk]), {"yaml": text})
        assert_not_5xx(response, f"{name} {text!r}")


@pytest.mark.django_db
@FUZZ
@given(text=yaml_text)
def test_a_file_lab_submission_is_graded_and_always_renders(student, settings, text):
    # Every example shares the test's database: sync the labs once, not 40 times.
    if not Lab.objects.filter(slug="compose-two-services").exists():
        sync_labs(settings.CONTENT_DIR)
    client = student_http(student)
    Submission.objects.all().delete()  # one pending grading per lab: start clean each time
    response = client.post(reverse("labs-grade-files", args=["compose-two-services"]), {"compose.yaml": text})
    assert_not_5xx(response, f"grade-files {text!r}")
    for submission in Submission.objects.all():
        grade_submission(submission.pk)  # what the worker does
        submission.refresh_from_db()
        assert submission.state != "queued", text
        page = client.get(reverse("labs-submission", args=[submission.pk]))
        assert page.status_code == 200, f"{text!r}: {page.status_code}"
        assert "every 500ms" not in page.content.decode()  # it stopped polling


def form_targets(world):
    session, lab, lesson = world["session"], world["lab"], world["lesson"]
    course, slug = lesson.module.course.slug, lesson.slug
    return [
        (reverse("login"), None),
        (reverse("accounts-signup"), None),
        (reverse("courses-quiz-answer", args=[course, slug, "q1"]), "student"),
        (reverse("courses-quiz-answer", args=[course, slug, "q3"]), "student"),
        (reverse("courses-lesson-complete", args=[course, slug]), "student"),
        (reverse("courses-author-edit", args=[lesson.pk]), "instructor"),
        (reverse("courses-author-preview", args=[lesson.pk]), "instructor"),
        (reverse("labs-session-start", args=[lab.slug]), "student"),
        (reverse("labs-session-extend", args=[session.pk]), "student"),
        (reverse("labs-console", args=[session.pk]), "student"),
        (reverse("labs-validate", args=[session.pk]), "student"),
        (reverse("labs-grade-files", args=["dockerfile-http-server"]), "student"),
        (reverse("labs-solution", args=[lab.slug]), "student"),
        (reverse("labs-session-end", args=[session.pk]), "student"),
    ]


FIELD_NAMES = [
    "username", "password", "password1", "password2", "choice", "answer", "source", "action", "command",
    "yaml", "Dockerfile", "compose.yaml", "csrfmiddlewaretoken", "next",
]  # fmt: skip


@pytest.mark.django_db
@FUZZ
@given(
    fields=st.dictionaries(st.sampled_from(FIELD_NAMES), st.binary(max_size=60), max_size=5),
    content_type=st.sampled_from(CONTENT_TYPES),
    charset=st.sampled_from(CHARSETS),
)
def test_every_form_answers_any_body_and_charset_without_a_5xx(
    world, student, instructor, fields, content_type, charset
):
    clients = {None: Client(raise_request_exception=False)}
    clients["student"] = student_http(student)
    clients["instructor"] = student_http(instructor)
    declared = f"{content_type}; charset={charset}" if charset else content_type
    body = form_body(fields)
    for url, who in form_targets(world):
        response = clients[who].generic("POST", url, body, content_type=declared)
        assert_not_5xx(response, f"POST {url} {declared} {body[:200]!r}")
