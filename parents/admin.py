from django.contrib import admin

from parents.models import (
    Agreement,
    CommunicationPlan,
    ContactLog,
    ContactMoment,
    Family,
    Guardian,
    PupilGuardian,
)
from parents.reach import refresh_reach


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


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0
    autocomplete_fields = ["pupil"]
    raw_id_fields = ["responsible"]


@admin.register(CommunicationPlan)
class CommunicationPlanAdmin(admin.ModelAdmin):
    """For support only: agreements changed here do not re-plan their moments (the pages do)."""

    list_display = ["family", "school_year", "agreed_on", "contact_person", "version"]
    list_filter = ["school_year", "needs_interpreter"]
    search_fields = ["family__name"]
    list_select_related = ["family", "school_year", "contact_person"]
    autocomplete_fields = ["family"]
    raw_id_fields = ["contact_person"]
    readonly_fields = ["version"]
    inlines = [AgreementInline]


@admin.register(ContactMoment)
class ContactMomentAdmin(admin.ModelAdmin):
    list_display = ["due_on", "agreement", "status", "from_rule"]
    list_filter = ["status", "due_on"]
    search_fields = ["agreement__plan__family__name", "agreement__what"]
    list_select_related = ["agreement"]
    raw_id_fields = ["agreement"]


@admin.register(ContactLog)
class ContactLogAdmin(admin.ModelAdmin):
    list_display = ["happened_on", "family", "channel", "tone", "by", "follow_up_on"]
    list_filter = ["tone", "channel"]
    search_fields = ["family__name", "summary"]
    list_select_related = ["family", "by"]
    raw_id_fields = ["family", "pupil", "moment", "by"]

    # Who was reached is kept as data (parents.reach); an edit here moves it like the services.
    def save_model(self, request, obj, form, change):
        before = ContactLog.objects.filter(pk=obj.pk).values_list("family_id", flat=True)
        families = {obj.family_id, *before}
        super().save_model(request, obj, form, change)
        refresh_reach(families=families)

    def delete_queryset(self, request, queryset):
        families = set(queryset.values_list("family_id", flat=True))
        super().delete_queryset(request, queryset)
        refresh_reach(families=families)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        refresh_reach(families=[obj.family_id])
