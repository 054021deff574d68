from django.contrib import admin

from conversations.models import Booking, Invitation, Round, Slot, StartConversation
from parents.models import PupilGuardian
from parents.reach import refresh_reach


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

    # A held conversation reaches the child's families (parents.reach): an edit here moves it.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_reach(
            families=PupilGuardian.objects.filter(pupil=obj.pupil_id).values("guardian__family")
        )


admin.site.register(Invitation)
admin.site.register(Booking)
