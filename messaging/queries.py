"""What the translation pages read."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from messaging.models import Translation

PAGE_ROWS = 200


def translations_of_school(school_id: int, *, language: str = "", wanted: bool = False) -> QuerySet:
    """The school's texts in other languages: the ones nobody translated yet first, then the
    machine's, then the staff's own."""
    rows = Translation.objects.of_school(school_id).select_related("translated_by")
    if language:
        rows = rows.filter(language=language)
    if wanted:
        rows = rows.filter(text="")
    order = Case(
        When(text="", then=Value(0)),
        When(machine=True, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return rows.order_by(order, "language", "original", "pk")[:PAGE_ROWS]
