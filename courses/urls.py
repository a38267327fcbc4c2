from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="courses-home"),
    path("courses/", views.catalog, name="courses-catalog"),
    path("instructor/", views.instructor, name="courses-instructor"),
]
