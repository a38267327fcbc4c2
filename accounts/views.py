from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import throttle
from .forms import SignupForm
from .hashers import HashingBusy, login_turn


class LoginView(auth_views.LoginView):
    """Django's login, rate limited, with a Korean 503 when every hashing slot stays busy."""

    def post(self, request, *args, **kwargs):
        if throttle.login_limited(request):
            return throttle.too_many(request, "로그인")
        try:
            with login_turn():
                return super().post(request, *args, **kwargs)
        except HashingBusy:
            return throttle.busy(request)


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("courses-home")
    if request.method == "POST" and throttle.signup_limited(request):
        return throttle.too_many(request, "회원가입")
    form = SignupForm(request.POST or None)
    try:
        if request.method == "POST":
            with login_turn():
                if form.is_valid():
                    user = form.save()
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                    return redirect("courses-home")
    except HashingBusy:
        return throttle.busy(request)
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)
