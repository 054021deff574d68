"""Incidents with parents, support-plan consent, meetings about a child, ideas and complaints."""
