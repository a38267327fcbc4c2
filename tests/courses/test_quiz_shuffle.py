"""Quiz choices are shuffled per student: each student sees an order of their own, the
same one on every reload, and grading goes by choice id, never by position."""

import re

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from courses.models import Question
from courses.services.lesson_page import shuffled_choices

PAGE = "/courses/test-course/first-lesson/"


def order_on_page(client, key="q2") -> list[str]:
    html = client.get(PAGE).content.decode()
    card = html.split(f'id="q-{key}"', 1)[1].split("</article>", 1)[0]
    return re.findall(r'name="choice" value="([a-z0-9-]+)"', card)


def five_choice_question(lesson) -> Question:
    q = lesson.questions.get(key="q2")
    q.choices = [{"id": k, "text": k, "html": k, "correct": k == "c"} for k in "abcde"]
    q.save()
    return q


def test_a_student_sees_the_same_order_on_every_reload(student_client, lesson):
    five_choice_question(lesson)
    first = order_on_page(student_client)
    cache.clear()  # render again rather than serve the cached page
    assert order_on_page(student_client) == first
    assert sorted(first) == list("abcde")


def test_different_students_see_different_orders(lesson, student_client):
    five_choice_question(lesson)
    orders = {tuple(order_on_page(student_client))}
    for n in range(7):
        client = Client()
        client.force_login(get_user_model().objects.create_user(f"learner{n}", password="pw-learner-1234"))
        orders.add(tuple(order_on_page(client)))
    assert len(orders) >= 4, orders


def test_the_correct_choice_is_not_always_in_the_same_place(lesson):
    q = five_choice_question(lesson)
    places = {[c["id"] for c in shuffled_choices(user_id, q)].index("c") for user_id in range(1, 21)}
    assert len(places) >= 3, places


def test_the_order_survives_a_resync_because_it_is_seeded_by_the_question_key(lesson):
    q = five_choice_question(lesson)
    before = shuffled_choices(7, q)
    q.pk = None  # a re-created row, same lesson and key
    assert shuffled_choices(7, q) == before


def test_the_answered_card_keeps_the_students_order(htmx_client, student_client, lesson):
    five_choice_question(lesson)
    order = order_on_page(student_client)
    html = htmx_client.post(f"{PAGE}quiz/q2/", {"choice": ["c"]}).content.decode()
    assert re.findall(r'name="choice" value="([a-z0-9-]+)"', html) == order
    assert "정답입니다" in html
