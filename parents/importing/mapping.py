"""Which column holds which field. Common Dutch headers are recognised; the staff member confirms
or corrects the guess once and the school remembers it."""

import re

from django.utils.translation import gettext_lazy as _

from parents.importing import ImportRefused

GUARDIAN_SLOTS = (1, 2)


def _guardian_fields():
    fields = {}
    for n in GUARDIAN_SLOTS:
        fields[f"guardian{n}_first_name"] = (
            _("voornaam ouder %(n)s") % {"n": n},
            [f"voornaam ouder {n}", f"roepnaam ouder {n}", f"voornaam verzorger {n}"],
        )
        fields[f"guardian{n}_last_name"] = (
            _("achternaam ouder %(n)s") % {"n": n},
            [f"achternaam ouder {n}", f"naam ouder {n}", f"achternaam verzorger {n}"],
        )
        fields[f"guardian{n}_email"] = (
            _("e-mail ouder %(n)s") % {"n": n},
            [f"e-mail ouder {n}", f"emailadres ouder {n}", f"e-mail verzorger {n}"],
        )
        fields[f"guardian{n}_phone"] = (
            _("telefoon ouder %(n)s") % {"n": n},
            [f"telefoon ouder {n}", f"mobiel ouder {n}", f"telefoonnummer ouder {n}"],
        )
        # Two addresses in one row: two households (separated parents).
        fields[f"guardian{n}_street"] = (
            _("straat ouder %(n)s") % {"n": n},
            [f"straat ouder {n}", f"adres ouder {n}", f"straatnaam ouder {n}"],
        )
        fields[f"guardian{n}_house_number"] = (
            _("huisnummer ouder %(n)s") % {"n": n},
            [f"huisnummer ouder {n}", f"huisnr ouder {n}"],
        )
        fields[f"guardian{n}_postcode"] = (
            _("postcode ouder %(n)s") % {"n": n},
            [f"postcode ouder {n}"],
        )
    return fields


# our field -> (label, headers we recognise, best first)
FIELDS = {
    "pupil_number": (_("leerlingnummer"), ["leerlingnummer", "leerlingnr", "llnr", "leerlingcode"]),
    "first_name": (_("roepnaam"), ["roepnaam", "voornaam", "voornamen"]),
    "infix": (_("tussenvoegsel"), ["tussenvoegsel", "tussenvoegsels", "voorvoegsel"]),
    "last_name": (_("achternaam"), ["achternaam", "geslachtsnaam", "naam"]),
    "date_of_birth": (_("geboortedatum"), ["geboortedatum", "geb datum", "geboren op"]),
    "group": (_("groep"), ["groep", "klas", "stamgroep", "jaargroep"]),
    "eck_id": (_("ECK iD"), ["eckid", "eck id", "eck-id"]),
    **_guardian_fields(),
}
REQUIRED = ("pupil_number", "first_name", "last_name", "date_of_birth", "group")

# The BSN (and its school twin, the PGN) may not be stored here (UAVG art. 46): a file that carries
# one is refused whole, so it is never kept, not even for a preview.
FORBIDDEN_HEADERS = {
    "bsn",
    "burgerservicenummer",
    "pgn",
    "persoonsgebondennummer",
    "sofinummer",
    "onderwijsnummer",
}


def normalise(header):
    return re.sub(r"[^0-9a-z]", "", header.lower())


def refuse_forbidden(headers):
    for header in headers:
        if normalise(header) in FORBIDDEN_HEADERS:
            raise ImportRefused(
                _(
                    "Het bestand heeft een kolom '%(header)s'. Een BSN mag Schouder niet bewaren. "
                    "Haal die kolom weg en probeer het opnieuw."
                )
                % {"header": header}
            )


def passes_eleven_test(digits):
    """The 11-proef of a BSN: 9a + 8b + ... + 2h - i is a multiple of 11 (and not 0)."""
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0 and total != 0


_NINE_DIGITS = re.compile(r"^\d{9}$")


def refuse_bsn_values(headers, rows):
    """A BSN under another header ("nummer", "opmerking") is refused too: a column whose 9-digit
    values all pass the 11-proef. One random 9-digit number in eleven passes it, so a column of
    pupil numbers with some that do not is no BSN column. Phone columns are left out (Excel
    turns 0612345678 into a 9-digit number)."""
    phone_columns = {header for field, header in guess(headers).items() if field.endswith("_phone")}
    for position, header in enumerate(headers):
        if header in phone_columns:
            continue
        first_bsn, others = None, False
        for row, cells in rows:
            cell = cells[position] if position < len(cells) else ""
            if not 9 <= len(cell) <= 11:
                continue
            digits = cell.replace(".", "").replace(" ", "")
            if not _NINE_DIGITS.match(digits):
                continue
            if passes_eleven_test(digits):
                first_bsn = first_bsn or row
            else:
                others = True
                break
        if first_bsn and not others:
            raise ImportRefused(
                _(
                    "In kolom '%(header)s' staat een BSN (rij %(row)s). Een BSN mag Schouder niet "
                    "bewaren. Haal het weg en probeer het opnieuw."
                )
                % {"header": header or position + 1, "row": first_bsn}
            )


def guess(headers):
    """Our field -> header, for the headers we recognise."""
    by_normal = {}
    for header in headers:
        by_normal.setdefault(normalise(header), header)
    found = {}
    for field, (_label, known) in FIELDS.items():
        for name in known:
            header = by_normal.get(normalise(name))
            if header is not None and header not in found.values():
                found[field] = header
                break
    return found


def resolve(headers, remembered=None):
    """The school's remembered mapping where its headers still exist, else our guess."""
    columns = guess(headers)
    for field, header in (remembered or {}).items():
        if field in FIELDS and header in headers:
            columns[field] = header
    return columns


def missing(columns):
    return [FIELDS[field][0] for field in REQUIRED if not columns.get(field)]


def field_named(name):
    """Our field for a name a person writes: "leerlingnummer", "e-mail ouder 1", "pupil_number"."""
    wanted = normalise(name)
    for field, (label, known) in FIELDS.items():
        if wanted in {normalise(field), normalise(str(label)), *map(normalise, known)}:
            return field
    return None


def parse_map(pairs, headers):
    """``["Nummer=leerlingnummer", ...]`` from the command line as our field -> header."""
    columns = {}
    for pair in pairs:
        header, _sep, name = pair.partition("=")
        header, field = header.strip(), field_named(name)
        if not _sep or field is None:
            raise ImportRefused(
                _("'%(v)s' is geen koppeling: schrijf kolom=veld, bv. Nummer=leerlingnummer.")
                % {"v": pair}
            )
        if header not in headers:
            raise ImportRefused(
                _("Het bestand heeft geen kolom '%(v)s'. Kolommen: %(all)s")
                % {"v": header, "all": ", ".join(headers)}
            )
        columns[field] = header
    return columns
