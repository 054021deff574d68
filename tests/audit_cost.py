"""What writing one audit row costs in queries, for the tests that count the queries of a page
that reads sensitive data (issue 14: those reads are audit-logged)."""

from django.db import connection


def audit_write():
    """The previous row's chain and the insert; on PostgreSQL first the advisory lock that lets
    one append at a time read that chain."""
    return 3 if connection.vendor == "postgresql" else 2
