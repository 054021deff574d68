from django.contrib import admin

from reminders.models import OptOut, Preference, Reminder, SchoolSwitch


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["rule", "recipient_name", "channel", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "rule", "channel"]
    readonly_fields = [f.name for f in Reminder._meta.fields]


admin.site.register(OptOut)
admin.site.register(SchoolSwitch)
admin.site.register(Preference)
