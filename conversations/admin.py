from django.contrib import admin

from conversations.models import Booking, Invitation, Round, Slot, StartConversation


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["school", "school_year", "window_start", "window_end", "opened_at"]
    list_filter = ["school_year"]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["round", "staff", "starts_at", "mode"]
    list_select_related = ["round__school", "round__school_year", "staff"]


@admin.register(StartConversation)
class StartConversationAdmin(admin.ModelAdmin):
    list_display = ["pupil", "school_year", "group", "status", "held_at"]
    list_filter = ["status", "school_year"]
    list_select_related = ["pupil", "school_year", "group"]
    # The log is sensitive (home situation): it is read in the app, where access is scoped.
    exclude = ["home_situation"]


admin.site.register(Invitation)
admin.site.register(Booking)
