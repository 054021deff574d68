"""Who may open the dashboards: the director and the IB'er of the school and the board's members
see the school dashboard; only the board's members see the board dashboard. The lists behind the
figures name families and children: only the school's own director and IB'er open them.
Everybody else, and every S1 user for S3 or board B2, gets 404."""

from tests.access.matrix import Case, expect

SCHOOL_READERS = expect(anonymous=302, intern_begeleider=200, director=200, board=200)
LIST_READERS = expect(anonymous=302, intern_begeleider=200, director=200)
BOARD_READERS = expect(anonymous=302, board=200)
# The families not reached: also the ouder-coordinator, whose job is reaching them.
REACH_READERS = expect(anonymous=302, intern_begeleider=200, director=200, ouder_coordinator=200)


def school(side, **extra):
    return lambda w: {"pk": getattr(w, side).school.pk, **extra}


def board(name, **extra):
    return lambda w: {"pk": getattr(w, name).pk, **extra}


CASES = [
    Case("dashboard:school-dashboard", school("s1"), SCHOOL_READERS, foreign=school("s3")),
    Case("dashboard:not-reached", school("s1"), REACH_READERS, foreign=school("s3")),
    Case(
        "dashboard:figure-list",
        school("s1", figure="gesprek-gehouden"),
        LIST_READERS,
        foreign=school("s3", figure="gesprek-gehouden"),
    ),
    Case(
        "dashboard:school-export",
        school("s1", table="niet-bereikt", fmt="csv"),
        LIST_READERS,
        foreign=school("s3", table="niet-bereikt", fmt="csv"),
        label="csv",
    ),
    Case(
        "dashboard:school-export",
        school("s1", table="groepen", fmt="xlsx"),
        SCHOOL_READERS,
        foreign=school("s3", table="groepen", fmt="xlsx"),
        label="xlsx",
    ),
    Case("dashboard:board-dashboard", board("b1"), BOARD_READERS, foreign=board("b2")),
    Case(
        "dashboard:board-export",
        board("b1", fmt="xlsx"),
        BOARD_READERS,
        foreign=board("b2", fmt="xlsx"),
    ),
]
