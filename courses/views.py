from django.shortcuts import render


def home(request):
    return render(request, "courses/home.html")


def catalog(request):
    return render(request, "courses/home.html")


def instructor(request):
    return render(request, "courses/home.html")
