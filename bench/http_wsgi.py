"""The floor of the HTTP figures: the smallest WSGI application gunicorn can serve.

It imports nothing of Django, so what Django adds on top of gunicorn shows in the ratio."""

BODY = b"ok"


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]
