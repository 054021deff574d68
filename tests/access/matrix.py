"""The vocabulary of the access matrix: one Case per page (URL name) and the expected status of
each principal. Every app keeps its cases in tests/access/<app>.py."""

from dataclasses import dataclass, field

from tests.world import PRINCIPALS


def expect(default=404, **statuses):
    unknown = set(statuses) - set(PRINCIPALS)
    assert not unknown, f"unknown principals: {unknown}"
    return {principal: statuses.get(principal, default) for principal in PRINCIPALS}


# Pages with children's or parents' names for every staff member of the school; guardians,
# outsiders and the board (who reads figures, not records) get 404.
STAFF_ONLY = expect(
    anonymous=302,
    teacher=200,
    intern_begeleider=200,
    ouder_coordinator=200,
    director=200,
    board=404,
)
# Staff pages where a teacher sees only their own groups.
WHOLE_SCHOOL_ONLY = expect(
    anonymous=302, intern_begeleider=200, ouder_coordinator=200, director=200, board=404
)
# Pages about the school without a child's or parent's name: its staff and its board.
SCHOOL_AND_BOARD = expect(
    anonymous=302,
    teacher=200,
    intern_begeleider=200,
    ouder_coordinator=200,
    director=200,
    board=200,
)
# Pages of the parent portal.
GUARDIAN_ONLY = expect(anonymous=302, guardian=200)

# The pages the board opens, each with the reason: figures and comparisons, and pages without a
# child's or parent's name. A case that lets the board in anywhere else fails
# (tests/test_url_access.py), and so does an entry here that no case lets the board into.
BOARD_PAGES = {
    "home": "the list of the board's schools",
    "healthz": "open to everyone: the state of the service",
    "privacy:security-txt": "open to everyone",
    "reminders:stop": "open to everyone with the link from a message",
    "messaging:read-link": "the link in a message from school is the key to that one message",
    "conversations:staff-feed": "the token in the address is the key, whoever holds it",
    "parents:calendar-feed": "the token in the address is the key, whoever holds it",
    "parents:my-calendar-feed": "the member's own calendar address: their moments, no families",
    "schools:school-detail": "the school's name, groups and counts; links only to the figures",
    "schools:who-does-what": "the staff parents can turn to, public to the school's parents",
    "schools:who-does-what-edit": "a school setting without family data (school managers)",
    "partnership:activity-list": "the activities and their counts, no family named",
    "partnership:plan-detail": "the school's policy on parents",
    "partnership:evaluation-list": "scores per partnership, no family named",
    "dashboard:school-dashboard": "the school's figures",
    "dashboard:school-export": "the tables of figures (the tables with names: 404)",
    "dashboard:board-dashboard": "the comparison of the board's schools",
    "dashboard:board-export": "the comparison as a file",
    "care:incident-figures": "incidents counted per school and kind, no names",
}


@dataclass
class Case:
    url_name: str
    own: object  # world -> kwargs of S1's object
    expect: dict
    foreign: object = None  # world -> kwargs of S3's object; every S1 principal must get 404
    methods: tuple = ("get",)
    label: str = ""
    extra: dict = field(default_factory=dict)

    def __str__(self):
        return f"{self.url_name} ({self.label})" if self.label else self.url_name
