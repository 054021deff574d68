"""Staff pages about guardians and families; the parent portal lives in portal_views."""
