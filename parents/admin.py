from django.contrib import admin

from parents.models import Family, Guardian, PupilGuardian


class PupilGuardianInline(admin.TabularInline):
    model = PupilGuardian
    extra = 0
    autocomplete_fields = ["pupil"]


class GuardianInline(admin.StackedInline):
    model = Guardian
    extra = 0
    fields = ["first_name", "infix", "last_name", "email", "phone", "language", "needs_interpreter"]
    show_change_link = True


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin):
    list_display = ["name", "board"]
    list_filter = ["board"]
    search_fields = ["name", "guardians__last_name"]
    inlines = [GuardianInline]


@admin.register(Guardian)
class GuardianAdmin(admin.ModelAdmin):
    list_display = ["full_name", "family", "language", "needs_interpreter", "email", "phone"]
    list_filter = ["language", "needs_interpreter", "family__board"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    list_select_related = ["family"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["family"]
    inlines = [PupilGuardianInline]


@admin.register(PupilGuardian)
class PupilGuardianAdmin(admin.ModelAdmin):
    list_display = ["pupil", "guardian", "relation", "has_parental_authority", "information_right"]
    list_filter = ["relation", "has_parental_authority", "information_right", "lives_with"]
    search_fields = ["pupil__last_name", "guardian__last_name", "pupil__pupil_number"]
    autocomplete_fields = ["pupil", "guardian"]
    list_select_related = ["pupil", "guardian"]
