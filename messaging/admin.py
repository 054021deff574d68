from django.contrib import admin

from messaging.models import SchoolMessaging


@admin.register(SchoolMessaging)
class SchoolMessagingAdmin(admin.ModelAdmin):
    list_display = ("school", "answer_term_days", "sending_from", "sending_until")
