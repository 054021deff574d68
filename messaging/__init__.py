"""Two-way messages with families, messages from school, read figures and translation of texts. Sending goes through reminders, the one mechanism that sends."""
