"""Sickness reports, the attendance protocol, leave (verlof) and the information card of week one."""
