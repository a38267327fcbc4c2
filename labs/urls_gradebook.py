from django.urls import path

from labs.views import gradebook

# Listed before the lab pages: "gradebook/" must not be read as a lab slug.
urlpatterns = [
    path("gradebook/", gradebook.overview, name="labs-gradebook"),
    path("gradebook/<slug:slug>/", gradebook.lab_detail, name="labs-gradebook-lab"),
]
