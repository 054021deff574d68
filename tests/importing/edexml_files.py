"""EDEXML 2.1 test files built as the XSD (Edustandaard, EDEXML.structuur.xsd 2016-12-07) defines
them: root <EDEX> without a namespace; <school>, optional <vestigingen>, <groepen> with <groep>
(naam, jaargroep) and <samengestelde_groep>, <leerlingen>, optional <leerkrachten>."""

SCHOOL = """<school>
    <schooljaar>2026-2027</schooljaar>
    <peildatum>2026-10-01</peildatum>
    <brincode>12AB</brincode>
    <dependancecode>00</dependancecode>
    <schoolkey>50731</schoolkey>
    <aanmaakdatum>2026-11-20T09:15:00</aanmaakdatum>
    <xsdversie>2.1</xsdversie>
  </school>"""


def document(groups, pupils, teachers=""):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<EDEX xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="EDEXML.structuur.xsd">\n'
        f"  {SCHOOL}\n  <groepen>{groups}</groepen>\n  <leerlingen>{pupils}</leerlingen>\n"
        + (f"  <leerkrachten>{teachers}</leerkrachten>\n" if teachers else "")
        + "</EDEX>\n"
    ).encode()


def group(key, name, level):
    return f'<groep key="{key}"><naam>{name}</naam><jaargroep>{level}</jaargroep></groep>'


def pupil(key, last, first="", *, born="", level="", group_key="", eckid="", extra=""):
    return (
        f'<leerling key="{key}"' + (f' eckid="{eckid}"' if eckid else "") + ">"
        f"<achternaam>{last}</achternaam>"
        + (f"<roepnaam>{first}</roepnaam>" if first else "")
        + (f"<geboortedatum>{born}</geboortedatum>" if born else "")
        + (f"<jaargroep>{level}</jaargroep>" if level else "")
        + (f'<groep key="{group_key}"/>' if group_key else "")
        + extra
        + "</leerling>"
    )


def edustandaard_shaped():
    """The shape of Edustandaard's own example (EDEXML.Voorbeeld.2.1.xml), with our own
    content: a vestiging list, groups with a jaargroep 0 and a combination-group set, one
    complete pupil, one without birth date and group (with a BSN element the XSD allows), one
    historic pupil, and teachers with roles."""
    groups = (
        group("001", "Peuters", "0")
        + '<samengestelde_groep key="sg1"><naam>Leesgroep</naam></samengestelde_groep>'
        + group("GRP4A", "4A", "4")
        + group("GRP4B", "4B", "4")
    )
    pupils = (
        pupil(
            "00001",
            "Vos",
            "Fenna",
            born="2018-06-21",
            level="4",
            group_key="GRP4B",
            eckid="https://id.school/LL_0f3c9a7e21b44d2c8e5a_fenna",
            extra='<samengestelde_groepen><samengestelde_groep key="sg1"/>'
            '</samengestelde_groepen><vestiging key="V1"/>',
        )
        + '<leerling key="00002"><achternaam>Amrani</achternaam>'
        "<voornamen>Yusuf Karim</voornamen><geslacht>1</geslacht><jaargroep>4</jaargroep>"
        "<bsn>111222333</bsn><postcodenl>2512AB</postcodenl></leerling>"
        + pupil(
            "12345",
            "Hof",
            "Gijs",
            born="2014-03-02",
            level="H",
            extra="<uitstroomdatum>2025-07-18</uitstroomdatum>",
        )
    )
    teachers = (
        '<leerkracht key="LK1"><achternaam>Bakker</achternaam><roepnaam>Noor</roepnaam>'
        "<emailadres>noor.bakker@demo.test</emailadres><rol>LRK</rol>"
        '<groepen><groep key="GRP4B"><rol>LRK</rol></groep></groepen></leerkracht>'
    )
    return document(groups, pupils, teachers).replace(
        b"<groepen>",
        b'<vestigingen><vestiging key="V1"><naam>Hoofdgebouw</naam>'
        b"</vestiging></vestigingen>\n  <groepen>",
        1,
    )


LONG_NAME = "Groep 7/8 Zonnebloemen en Klaprozen van meester Jeroen en juf Aïcha"[:64]


def large_school():
    """64 pupils: groups 1/2 and 3/4 as combination groups (jaargroep C, the year level per
    pupil), group 5 as two <groep> elements of one name (one per leerjaar, as some
    administrations export), a group name of 64 characters, a historic pupil, a pupil
    without a birth date, and ECK iDs."""
    groups = (
        group("K12", "Groep 1/2", "C")
        + group("K34", "3/4", "C")
        + group("G5a", "5", "5")
        + group("G5b", "5", "6")
        + group("G78", LONG_NAME, "7")
    )
    pupils = []
    plan = [("K12", "1"), ("K12", "2"), ("K34", "3"), ("K34", "4"), ("G5a", "5"), ("G5b", "6")]
    plan += [("G78", "7"), ("G78", "8")]
    n = 0
    for group_key, level in plan:
        for i in range(8):
            n += 1
            pupils.append(
                pupil(
                    f"{n:05d}",
                    f"Achternaam{n}",
                    f"Kind{n}",
                    born="" if n == 17 else f"20{26 - 4 - int(level):02d}-0{1 + i % 9}-1{i}",
                    level=level,
                    group_key=group_key,
                    eckid=f"https://id.school/LL_{n:04d}" + "x" * 200 if n == 1 else "",
                )
            )
    pupils.append(pupil("99999", "Vroeger", "Oud", born="2012-01-01", level="H"))
    return document("".join(groups), "".join(pupils))
