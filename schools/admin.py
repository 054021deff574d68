from django.contrib import admin
from zeal import zeal_ignore

from schools.models import (
    Board,
    Enrolment,
    Group,
    Pupil,
    ReportDate,
    School,
    SchoolClosure,
    SchoolYear,
    StaffMembership,
)


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "mfa_required"]
    search_fields = ["name"]


class SchoolClosureInline(admin.TabularInline):
    model = SchoolClosure
    extra = 0


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "vestigingsnummer", "sector", "city", "board"]
    list_filter = ["sector", "holiday_region", "board"]
    search_fields = ["name", "brin", "city"]
    inlines = [SchoolClosureInline]


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["label", "start", "end"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "school_year", "lowest_grade", "highest_grade"]
    list_filter = ["school_year", "school"]
    search_fields = ["name", "school__name"]
    filter_horizontal = ["teachers"]
    list_select_related = ["school", "school_year"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "school", "board"]
    list_filter = ["role", "board", "school"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "school", "board"]


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    raw_id_fields = ["group"]


@admin.register(Pupil)
class PupilAdmin(admin.ModelAdmin):
    list_display = ["pupil_number", "full_name", "school", "date_of_birth", "left_on"]
    list_filter = ["school", "left_on"]
    search_fields = ["pupil_number", "first_name", "last_name"]
    list_select_related = ["school"]
    inlines = [EnrolmentInline]

    def changeform_view(self, *args, **kwargs):
        # The admin's own forms read each enrolment's group on their own while checking it: a
        # few rows on one pupil, not a list.
        with zeal_ignore([{"model": "schools.Group", "field": "get()"}]):
            return super().changeform_view(*args, **kwargs)


@admin.register(ReportDate)
class ReportDateAdmin(admin.ModelAdmin):
    list_display = ["school", "school_year", "date", "name"]
    list_filter = ["school_year", "school"]
    list_select_related = ["school", "school_year"]
