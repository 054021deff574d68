"""``{% translated text school_id %}``: staff-written text in the reader's language.

Rendered directly it shows the text (isolated with ``<bdi>``, so Dutch inside an Arabic sentence
keeps its order), the label "automatically translated" and the original behind a tap. Where the
text sits inside a link or a heading, take it apart instead::

    {% translated activity.title activity.school_id as title %}
    <a href="…">{{ title.text_html }}</a> {{ title.note_html }}

Parents' messages go the other way: ``{% translated message.text school_id source=guardian.language %}``.
"""

from django import template
from django.utils import translation

from messaging.translation import Translated
from messaging.translation import translated as translate

register = template.Library()


@register.simple_tag(takes_context=True)
def translated(
    context: template.Context,
    text: object,
    school_id: int | None,
    source: str | None = "nl",
    lines: bool = False,
    language: str | None = None,
) -> Translated:
    request = context.get("request")
    memo = None
    if request is not None:
        # One query per school and language for the whole page, however many texts it shows.
        memo = request.__dict__.setdefault("_translation_memo", {})
    return translate(
        str(text or ""),
        language or translation.get_language() or "nl",
        school_id=school_id,
        source=source or "nl",
        multiline=lines,
        memo=memo,
    )
