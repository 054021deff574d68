from tests.access.matrix import Case, expect

CASES = [
    Case(
        "parents:portal-home",
        own=lambda w: {},
        expect=expect(anonymous=302, guardian=200, blocked_guardian=200),
    ),
]
