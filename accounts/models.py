from django.conf import settings
from django.db import models
from django.utils import timezone


class RevokedLogin(models.Model):
    """A login that ended (logout): its cookie may still be valid, but it downloads nothing.

    Sessions live in signed cookies (no query per page, README), so logging out cannot
    delete them on the server. Credential downloads check this list instead.
    """

    login_id = models.CharField("로그인 ID", max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name="사용자")
    revoked_at = models.DateTimeField("로그아웃 시각", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "끝난 로그인"
        verbose_name_plural = "끝난 로그인"

    def __str__(self):
        return f"{self.user} · {self.revoked_at:%Y-%m-%d %H:%M}"
