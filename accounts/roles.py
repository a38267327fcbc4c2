"""Two roles: every user is a student; instructors are members of the "instructor" group."""

from django.contrib.auth.models import Group

INSTRUCTOR_GROUP = "instructor"


def is_instructor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Cached on the user object: templates and views ask more than once per request.
    if not hasattr(user, "_kubaeum_is_instructor"):
        user._kubaeum_is_instructor = user.groups.filter(name=INSTRUCTOR_GROUP).exists()
    return user._kubaeum_is_instructor


def make_instructor(user) -> None:
    group, _ = Group.objects.get_or_create(name=INSTRUCTOR_GROUP)
    user.groups.add(group)
    user.__dict__.pop("_kubaeum_is_instructor", None)
