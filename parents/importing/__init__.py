"""Import from the school's pupil administration: CSV/Excel (pupils and guardians) and EDEXML
(groups, pupils, teachers).

read (``tabular`` / ``edexml``) -> map columns (``mapping``) -> plan and validate (``plan``) ->
confirm and write in one transaction (``apply``), recorded so that ``undo`` can reverse it as a
whole within a week. Nothing is written before the confirmation.
"""

from schools import permissions


class ImportRefused(Exception):
    """The whole file cannot be used; the message (Dutch) tells the staff member why."""


def may_import(user, school):
    """The school's director and intern begeleider import; the board steers and does not keep
    pupil records (AVG data minimisation)."""
    return permissions.can_keep_records(user, school)
