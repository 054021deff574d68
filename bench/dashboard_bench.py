"""The dashboards on a generated board of 200 schools (and one of 50, the same shape).

- ``school_dashboard_queries`` and ``board_dashboard_queries``: the number of queries at 50 and
  at 200 schools; they must be equal.
- ``dashboard_vs_sql``: the time of ``board_dashboard`` in its steady state (every school's kept
  figures fresh, as after the morning recount) divided by the time of one hand-written SQL
  statement that computes the same figures. The bench first checks that the kept figures equal
  the statement's, school by school: a floor that computes something else would prove nothing.
- ``board_dashboard_recount_vs_sql``: the same for a first view with every school's row stale
  (every marker moved on), which recounts and keeps all of them.
- ``dashboard_per_school_loop_vs_sql``: the same, calling ``school_dashboard`` for each school,
  which is what a board page without its own queries would do (timed once, not best of seven).
- ``board_dashboard_200_vs_50_schools``: the time of ``board_dashboard`` (steady state) for the
  board of 200 schools divided by that for the board of 50 (four times the rows; 4x is linear
  growth, 1x flat).

Both boards are built inside a transaction that is rolled back: the database is left as it was.
They are built with ``bulk_create``, which marks no change, so their figures are counted and kept
once after building, as the morning task does.
"""

import sys
import time

from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import interleaved
from bench.board_data import build_board
from partnership.dashboards import figures as dashboard
from schools.changes import school_data_changed

REPEAT = 7
SMALL, LARGE = 50, 200  # schools
# Pupils and guardians of the large board: four times the default board of 50 schools.
LARGE_PUPILS, LARGE_GUARDIANS = 60000, 100000
FIGURES = dashboard.BOARD_COLUMNS[1:]  # every column of the board dashboard except the name


class _Rollback(Exception):
    pass


def _local_date(column):
    """SQL for the local (school) date of a timestamp column, as Django's ``__date`` computes it."""
    if connection.vendor == "postgresql":
        return f"CAST(({column} AT TIME ZONE %(tz)s) AS date)"
    # Django registers this function on every SQLite connection for its own ``__date`` lookups.
    return f"django_datetime_cast_date({column}, %(tz)s, 'UTC')"


def figures_sql():
    """One statement: per school of a board, every figure of the board dashboard.

    Parameters: board, year, first and last day of the year, today, tz. Columns: school id, then
    ``FIGURES`` in order.
    """
    held_day = _local_date("c.held_at")
    return f"""
WITH
board_school AS (
    SELECT id FROM schools_school WHERE board_id = %(board)s
),
conversation AS (
    SELECT r.school_id,
        COUNT(*) AS pupils,
        SUM(CASE WHEN c.status = 'held' THEN 1 ELSE 0 END) AS held,
        SUM(CASE WHEN c.status = 'booked' THEN 1 ELSE 0 END) AS booked,
        SUM(CASE WHEN c.status = 'to_plan' THEN 1 ELSE 0 END) AS to_plan,
        SUM(CASE WHEN c.status = 'not_reached' THEN 1 ELSE 0 END) AS not_reached,
        SUM(CASE WHEN c.status = 'held'
                  AND {held_day} BETWEEN r.window_start AND r.window_end
            THEN 1 ELSE 0 END) AS in_window,
        SUM(CASE WHEN c.status = 'held' AND c.child_present THEN 1 ELSE 0 END) AS child
    FROM conversations_startconversation c
    JOIN conversations_round r ON r.id = c.round_id
    JOIN board_school s ON s.id = r.school_id
    JOIN schools_pupil p ON p.id = c.pupil_id
    WHERE c.school_year_id = %(year)s AND p.left_on IS NULL
    GROUP BY r.school_id
),
family_at AS (  -- the families of each school's present pupils enrolled this year
    SELECT DISTINCT p.school_id, g.family_id
    FROM parents_pupilguardian pg
    JOIN schools_pupil p ON p.id = pg.pupil_id
    JOIN board_school s ON s.id = p.school_id
    JOIN parents_guardian g ON g.id = pg.guardian_id
    JOIN schools_enrolment e ON e.pupil_id = p.id AND e.school_year_id = %(year)s
    WHERE p.left_on IS NULL
),
reached AS (  -- (school, family): a contact, a held start conversation or an attendance there
    SELECT f.school_id, f.family_id
    FROM family_at f
    JOIN parents_contactlog cl ON cl.family_id = f.family_id
    LEFT JOIN schools_pupil cp ON cp.id = cl.pupil_id
    WHERE cl.happened_on BETWEEN %(first)s AND %(last)s
      AND (cl.pupil_id IS NULL OR cp.school_id = f.school_id)
    UNION
    SELECT p.school_id, g.family_id
    FROM conversations_startconversation c
    JOIN schools_pupil p ON p.id = c.pupil_id
    JOIN parents_pupilguardian pg ON pg.pupil_id = p.id
    JOIN parents_guardian g ON g.id = pg.guardian_id
    WHERE c.school_year_id = %(year)s AND c.status = 'held'
    UNION
    SELECT a.school_id, i.family_id
    FROM partnership_attendance at
    JOIN partnership_invitation i ON i.id = at.invitation_id
    JOIN partnership_activity a ON a.id = i.activity_id
    WHERE a.school_year_id = %(year)s
),
family AS (
    SELECT f.school_id,
        COUNT(*) AS families,
        SUM(CASE WHEN pl.family_id IS NULL THEN 0 ELSE 1 END) AS with_plan,
        SUM(CASE WHEN r.family_id IS NULL THEN 0 ELSE 1 END) AS reached
    FROM family_at f
    LEFT JOIN (
        SELECT DISTINCT family_id FROM parents_communicationplan WHERE school_year_id = %(year)s
    ) pl ON pl.family_id = f.family_id
    LEFT JOIN reached r ON r.school_id = f.school_id AND r.family_id = f.family_id
    GROUP BY f.school_id
),
moment AS (  -- a held moment is late when its log is later than its due day
    SELECT p.school_id,
        SUM(CASE WHEN m.due_on <= %(today)s THEN 1 ELSE 0 END) AS moments_due,
        SUM(CASE WHEN m.status = 'held' AND NOT COALESCE(cl.happened_on > m.due_on, FALSE)
            THEN 1 ELSE 0 END) AS held_on_time,
        SUM(CASE WHEN m.status = 'held' AND cl.happened_on > m.due_on
            THEN 1 ELSE 0 END) AS held_late,
        SUM(CASE WHEN m.status = 'planned' AND m.due_on < %(today)s THEN 1 ELSE 0 END) AS overdue
    FROM parents_contactmoment m
    JOIN parents_agreement ag ON ag.id = m.agreement_id
    JOIN schools_pupil p ON p.id = ag.pupil_id
    JOIN board_school s ON s.id = p.school_id
    LEFT JOIN parents_contactlog cl ON cl.moment_id = m.id
    WHERE m.due_on BETWEEN %(first)s AND %(last)s
    GROUP BY p.school_id
),
contact AS (
    SELECT p.school_id,
        COUNT(*) AS contacts,
        SUM(CASE WHEN cl.tone = 'positive' THEN 1 ELSE 0 END) AS positive
    FROM parents_contactlog cl
    JOIN schools_pupil p ON p.id = cl.pupil_id
    JOIN board_school s ON s.id = p.school_id
    WHERE cl.happened_on BETWEEN %(first)s AND %(last)s
    GROUP BY p.school_id
),
activity AS (
    SELECT a.school_id, COUNT(DISTINCT a.id) AS activities, COUNT(at.id) AS attendance
    FROM partnership_activity a
    JOIN board_school s ON s.id = a.school_id
    LEFT JOIN partnership_invitation i ON i.activity_id = a.id
    LEFT JOIN partnership_attendance at ON at.invitation_id = i.id
    WHERE a.school_year_id = %(year)s
    GROUP BY a.school_id
),
goal AS (
    SELECT pp.school_id,
        COUNT(*) AS goals,
        SUM(CASE WHEN g.status = 'achieved' THEN 1 ELSE 0 END) AS goals_achieved
    FROM partnership_goal g
    JOIN partnership_partnershipplan pp ON pp.id = g.plan_id
    JOIN board_school s ON s.id = pp.school_id
    WHERE pp.school_year_id = %(year)s
    GROUP BY pp.school_id
)
SELECT s.id,
    COALESCE(conversation.pupils, 0), COALESCE(conversation.held, 0),
    COALESCE(conversation.booked, 0), COALESCE(conversation.to_plan, 0),
    COALESCE(conversation.not_reached, 0), COALESCE(conversation.in_window, 0),
    COALESCE(conversation.child, 0),
    COALESCE(family.families, 0), COALESCE(family.with_plan, 0), COALESCE(family.reached, 0),
    COALESCE(moment.moments_due, 0), COALESCE(moment.held_on_time, 0),
    COALESCE(moment.held_late, 0), COALESCE(moment.overdue, 0),
    COALESCE(contact.contacts, 0), COALESCE(contact.positive, 0),
    COALESCE(activity.activities, 0), COALESCE(activity.attendance, 0),
    COALESCE(goal.goals, 0), COALESCE(goal.goals_achieved, 0)
FROM board_school s
LEFT JOIN conversation ON conversation.school_id = s.id
LEFT JOIN family ON family.school_id = s.id
LEFT JOIN moment ON moment.school_id = s.id
LEFT JOIN contact ON contact.school_id = s.id
LEFT JOIN activity ON activity.school_id = s.id
LEFT JOIN goal ON goal.school_id = s.id
ORDER BY s.id
"""


def sql_figures(board, year, today):
    """Per school id: the figures (``FIGURES`` order) from the hand-written statement."""
    params = {
        "board": board.pk,
        "year": year.pk,
        "first": year.start,
        "last": year.end,
        "today": today,
        "tz": settings.TIME_ZONE,
    }
    with connection.cursor() as cursor:
        cursor.execute(figures_sql(), params)
        return {row[0]: tuple(int(v) for v in row[1:]) for row in cursor.fetchall()}


def orm_figures(result):
    """Per school id: the same figures from a ``board_dashboard`` result."""
    return {row["school"].pk: tuple(row[key] for key in FIGURES) for row in result["schools"]}


def check_same_figures(orm, sql):
    """Raise when the statement and the ORM disagree about any figure of any school."""
    if orm.keys() != sql.keys():
        raise AssertionError(f"different schools: ORM {sorted(orm)}, SQL {sorted(sql)}")
    for school_id, figures in orm.items():
        if figures != sql[school_id]:
            differing = {
                key: (o, s)
                for key, o, s in zip(FIGURES, figures, sql[school_id], strict=True)
                if o != s
            }
            raise AssertionError(
                f"school {school_id}: the SQL floor computes other figures than board_dashboard "
                f"(figure: (ORM, SQL)): {differing}"
            )


def _queries(function):
    reset_queries()  # Django logs 9,000 queries at most: count from an empty log
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def _measure(small, large, stream):
    for built in (small, large):
        dashboard.recount_board(built.board, built.year)
    counts = {}
    for size, built in ((SMALL, small), (LARGE, large)):
        school = built.board.schools.order_by("pk").first()
        counts[size] = (
            _queries(lambda b=built, s=school: dashboard.school_dashboard(s, b.year, b.user)),
            _queries(lambda b=built: dashboard.board_dashboard(b.board, b.year, b.user)),
        )
    board, year, user = large.board, large.year, large.user
    today = timezone.localdate()
    check_same_figures(
        orm_figures(dashboard.board_dashboard(board, year, user)), sql_figures(board, year, today)
    )
    schools = list(board.schools.all())

    def orm():
        dashboard.board_dashboard(board, year, user)

    def sql():
        sql_figures(board, year, today)

    def loop():
        for school in schools:
            dashboard.school_dashboard(school, year, user)

    def orm_small():
        dashboard.board_dashboard(small.board, small.year, small.user)

    def orm_stale():
        # Every school changed: one UPDATE of the markers, then the view recounts them all.
        school_data_changed(schools=board.schools.values("pk"))
        dashboard.board_dashboard(board, year, user)

    started = time.perf_counter()
    orm_time, sql_time, small_time, stale_time = interleaved(
        [orm, sql, orm_small, orm_stale], repeat=REPEAT
    )
    # The loop over every school takes about fifty floors: timed once, beside one more floor,
    # so that the topic ends within its time limit on a busy machine too.
    loop_time, loop_sql_time = interleaved([loop, sql], repeat=1)
    print(
        f"[dashboard] timed in {time.perf_counter() - started:.1f} s: ORM {orm_time * 1000:.0f} ms, "
        f"SQL {sql_time * 1000:.0f} ms, per-school loop {loop_time * 1000:.0f} ms, "
        f"ORM at {SMALL} schools {small_time * 1000:.0f} ms, "
        f"ORM with every row stale {stale_time * 1000:.0f} ms",
        file=stream,
        flush=True,
    )
    return (
        counts,
        orm_time / sql_time,
        loop_time / loop_sql_time,
        orm_time / small_time,
        stale_time / sql_time,
    )


def run(stream=sys.stderr):
    try:
        with transaction.atomic():
            small = build_board(name=f"Bench bestuur {SMALL}", brin="98BN", stream=stream)
            large = build_board(
                name=f"Bench bestuur {LARGE}",
                schools=LARGE,
                pupils=LARGE_PUPILS,
                guardians=LARGE_GUARDIANS,
                user=small.user,
                stream=stream,
            )
            print(f"[dashboard] generated: {large.counts}", file=stream, flush=True)
            result = _measure(small, large, stream)
            raise _Rollback
    except _Rollback:
        pass
    counts, ratio, loop_ratio, growth, recount_ratio = result
    yield (
        "school_dashboard_queries",
        f"{counts[SMALL][0]} at {SMALL} schools, {counts[LARGE][0]} at {LARGE} schools",
    )
    yield (
        "board_dashboard_queries",
        f"{counts[SMALL][1]} at {SMALL} schools, {counts[LARGE][1]} at {LARGE} schools",
    )
    yield "dashboard_vs_sql", f"{ratio:.2f}x"
    yield "board_dashboard_recount_vs_sql", f"{recount_ratio:.2f}x"
    yield "dashboard_per_school_loop_vs_sql", f"{loop_ratio:.2f}x"
    # Four times the schools, pupils and history: 4x would be linear growth.
    yield f"board_dashboard_{LARGE}_vs_{SMALL}_schools", f"{growth:.2f}x"
    yield (
        "dashboard_board_rows",
        (
            f"{small.rows} and {large.rows} rows built in {small.counts['seconds']} and "
            f"{large.counts['seconds']} s"
        ),
    )
