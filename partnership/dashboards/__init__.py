"""The dashboards: the figures of a school and of a board (``figures``), the list behind each
figure (``lists``), the spreadsheet exports (``exports``), their pages (``views``, ``urls``) and
the template tags that link to them (``templatetags``, loaded as ``{% load dashboards %}``)."""
