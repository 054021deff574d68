"""Import from the school's pupil administration: CSV/Excel (pupils and guardians) and EDEXML
(groups, pupils, teachers).

read (``tabular`` / ``edexml``) -> map columns (``mapping``) -> plan and validate (``plan``) ->
confirm and write in one transaction (``apply``). Nothing is written before the confirmation.
"""


class ImportRefused(Exception):
    """The whole file cannot be used; the message (Dutch) tells the staff member why."""
