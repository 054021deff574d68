"""The words of passend onderwijs that parents hear at school, explained in plain words in the
parent's language. The terms stay Dutch: they are the words the school will say."""

from django.utils.translation import gettext_lazy as _

TERMS = (
    (
        "opp",
        _(
            "Ontwikkelingsperspectiefplan. Een plan voor een kind dat extra hulp nodig heeft. "
            "Er staat in wat uw kind kan leren en hoe de school helpt."
        ),
    ),
    (
        "ontwikkelingsperspectief",
        _("Wat de school verwacht dat uw kind aan het eind van de basisschool kan."),
    ),
    (
        "handelingsdeel",
        _(
            "Het deel van het opp met de doelen en de hulp. Hiervoor vraagt de school uw "
            "toestemming."
        ),
    ),
    (
        "IB'er",
        _(
            "Intern begeleider. De collega op school die leerkrachten helpt met kinderen die "
            "extra hulp nodig hebben."
        ),
    ),
    (
        "zorgoverleg",
        _("Een gesprek op school over de hulp voor uw kind. U bent erbij."),
    ),
    (
        "MDO",
        _(
            "Multidisciplinair overleg. Een gesprek met mensen van school en van buiten de "
            "school, bijvoorbeeld van het jeugdteam. U bent erbij."
        ),
    ),
    (
        "tlv",
        _("Toelaatbaarheidsverklaring. Een besluit dat een kind naar het speciaal onderwijs mag."),
    ),
    (
        "samenwerkingsverband",
        _("De scholen in uw regio die samen zorgen dat elk kind passend onderwijs krijgt."),
    ),
)
