"""The vocabulary of the access matrix: one Case per page (URL name) and the expected status of
each principal. Every app keeps its cases in tests/access/<app>.py."""

from dataclasses import dataclass, field

from tests.world import PRINCIPALS


def expect(default=404, **statuses):
    unknown = set(statuses) - set(PRINCIPALS)
    assert not unknown, f"unknown principals: {unknown}"
    return {principal: statuses.get(principal, default) for principal in PRINCIPALS}


# Pages for every staff member of the school; guardians and outsiders get 404.
STAFF_ONLY = expect(
    anonymous=302,
    teacher=200,
    intern_begeleider=200,
    ouder_coordinator=200,
    director=200,
    board=200,
)
# Staff pages where a teacher sees only their own groups.
WHOLE_SCHOOL_ONLY = expect(
    anonymous=302, intern_begeleider=200, ouder_coordinator=200, director=200, board=200
)
# Pages of the parent portal.
GUARDIAN_ONLY = expect(anonymous=302, guardian=200)


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
