"""The SMS gateway adapter against a real HTTP server on loopback, playing CM.com's gateway."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reminders.channels import CmSmsBackend, DeliveryError


@pytest.fixture
def gateway():
    received = []
    answers = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            status = answers.pop(0) if answers else 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"details": "ok"}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received, server.answers = received, answers
    server.url = f"http://127.0.0.1:{server.server_address[1]}/v1.0/message"
    yield server
    server.shutdown()
    server.server_close()


def test_cm_adapter_posts_the_message_with_token_and_reference(gateway):
    backend = CmSmsBackend(url=gateway.url, token="token-123", sender="De Regenboog")
    backend.send(to="0612345678", body="Morgen koffieochtend.", reference="reminder-7")
    [payload] = gateway.received
    message = payload["messages"]["msg"][0]
    assert payload["messages"]["authentication"]["producttoken"] == "token-123"
    assert message["to"] == [{"number": "0612345678"}]
    assert message["body"]["content"] == "Morgen koffieochtend."
    assert (
        message["reference"] == "reminder-7" and message["from"] == "De Regenboo"
    )  # 11 characters at most


@pytest.mark.parametrize(("status", "transient"), [(400, False), (503, True), (429, True)])
def test_cm_adapter_sorts_gateway_errors(gateway, status, transient):
    gateway.answers.append(status)
    backend = CmSmsBackend(url=gateway.url, token="t")
    with pytest.raises(DeliveryError) as error:
        backend.send(to="0612345678", body="x", reference="reminder-1")
    assert error.value.transient is transient


def test_cm_adapter_unreachable_gateway_is_transient():
    from tests.reminders.smtp import free_port

    backend = CmSmsBackend(url=f"http://127.0.0.1:{free_port()}/", token="t", timeout=2)
    with pytest.raises(DeliveryError) as error:
        backend.send(to="0612345678", body="x", reference="reminder-1")
    assert error.value.transient
