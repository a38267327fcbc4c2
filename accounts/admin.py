from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .roles import INSTRUCTOR_GROUP, make_instructor


@admin.action(description="선택한 사용자를 강사로 지정")
def promote_to_instructor(modeladmin, request, queryset):
    for user in queryset:
        make_instructor(user)
    messages.success(request, f"{queryset.count()}명을 강사로 지정했습니다.")


@admin.action(description="선택한 사용자의 강사 권한 해제")
def demote_to_student(modeladmin, request, queryset):
    for user in queryset:
        user.groups.remove(*user.groups.filter(name=INSTRUCTOR_GROUP))
    messages.success(request, f"{queryset.count()}명을 학생으로 되돌렸습니다.")


class KubaeumUserAdmin(UserAdmin):
    actions = [promote_to_instructor, demote_to_student]


admin.site.unregister(User)
admin.site.register(User, KubaeumUserAdmin)
admin.site.site_header = "쿠배움 관리"
admin.site.site_title = "쿠배움 관리"
admin.site.index_title = "관리 홈"
