"""The admin is for the people who run Schouder, not for schools: pages stay the way to work.
Foreign keys are raw ids so that no select box lists another school's families."""

from django.contrib import admin

from partnership.models import (
    Activity,
    ActivitySeries,
    BuddyPair,
    Evaluation,
    EvaluationScore,
    Goal,
    KeyFigure,
    PartnershipArea,
    PartnershipPlan,
    SelfAssessment,
    SelfAssessmentItem,
    TopicSuggestion,
)


class AreaInline(admin.StackedInline):
    model = PartnershipArea
    extra = 0


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(PartnershipPlan)
class PartnershipPlanAdmin(admin.ModelAdmin):
    list_display = ["school", "school_year", "closed_on"]
    list_filter = ["school_year"]
    inlines = [AreaInline, GoalInline]


@admin.register(ActivitySeries)
class ActivitySeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "first_date", "until"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "kind", "partnership", "starts_at"]
    list_filter = ["kind", "partnership"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["school", "series", "organiser", "groups", "goals"]


@admin.register(TopicSuggestion)
class TopicSuggestionAdmin(admin.ModelAdmin):
    list_display = ["text", "school", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["school", "suggested_by", "entered_by", "activity"]


class EvaluationScoreInline(admin.TabularInline):
    model = EvaluationScore
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["school", "school_year", "quarter", "held_on"]
    inlines = [EvaluationScoreInline]


class SelfAssessmentItemInline(admin.TabularInline):
    model = SelfAssessmentItem
    extra = 0


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    list_display = ["school", "school_year", "framework", "assessed_on"]
    inlines = [SelfAssessmentItemInline]


@admin.register(BuddyPair)
class BuddyPairAdmin(admin.ModelAdmin):
    list_display = ["__str__", "school", "reason", "since", "active"]
    raw_id_fields = ["school", "guardian_a", "guardian_b"]


@admin.register(KeyFigure)
class KeyFigureAdmin(admin.ModelAdmin):
    list_display = ["guardian", "school", "reaches", "active"]
    raw_id_fields = ["school", "guardian"]
