"""Local stand-ins for the translation services, speaking their documented protocols.

DeepL: ``POST /v2/translate``, ``Authorization: DeepL-Auth-Key <key>``, a JSON or form body with
``text`` (one or more) and ``target_lang``; the answer is
``{"translations": [{"detected_source_language": ..., "text": ...}]}``; a wrong key gets 403.
LibreTranslate: ``POST /translate`` with JSON ``q``, ``source``, ``target``, ``format`` and
``api_key``; the answer is ``{"translatedText": ...}``; errors are ``{"error": ...}``.
"""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# What the stand-ins "know"; any other text comes back as "[<target>] <text>".
DICTIONARY = {
    ("Koffieochtend voor ouders", "tr"): "Veliler için kahve sabahı",
    ("Koffieochtend voor ouders", "ar"): "صباح القهوة للأهل",
    ("Koffieochtend", "tr"): "Kahve sabahı",
    ("Koffieochtend", "ar"): "صباح القهوة",
}


class StandIn:
    def __init__(self, protocol, key):
        self.protocol = protocol
        self.key = key
        self.requests = []  # (path, headers, parsed body) of every request
        self.status = 200  # another status makes the service fail
        self.hold = None  # a threading.Event: the service answers only once it is set
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}"

    def _handler(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    body = json.loads(raw)
                else:
                    body = urllib.parse.parse_qs(raw.decode())
                stand_in.requests.append((self.path, dict(self.headers), body))
                if stand_in.hold is not None:
                    stand_in.hold.wait(10)
                status, answer = getattr(stand_in, f"_{stand_in.protocol}")(
                    self.path, self.headers, body
                )
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting
                    pass

        return Handler

    def _deepl(self, path, headers, body):
        if path != "/v2/translate":
            return 404, {"message": "Not found"}
        if headers.get("Authorization") != f"DeepL-Auth-Key {self.key}":
            return 403, {"message": "Wrong endpoint or key"}
        if self.status != 200:
            return self.status, {"message": "Quota exceeded"}
        texts = body.get("text")
        target = body.get("target_lang")
        if isinstance(target, list):  # form bodies repeat fields
            target = target[0]
        if not texts or not target:
            return 400, {"message": "Parameter 'text' or 'target_lang' missing"}
        language = target.split("-")[0].lower()
        return 200, {
            "translations": [
                {"detected_source_language": "NL", "text": _translate(text, language)}
                for text in texts
            ]
        }

    def _libretranslate(self, path, headers, body):
        if path != "/translate":
            return 404, {"error": "Not found"}
        if body.get("api_key", "") != self.key:
            return 403, {"error": "Invalid API key"}
        if self.status != 200:
            return self.status, {"error": "Translation failed"}
        if not body.get("q") or not body.get("target") or not body.get("source"):
            return 400, {"error": "Invalid request: missing q, source or target"}
        return 200, {"translatedText": _translate(body["q"], body["target"])}


def _translate(text, language):
    return DICTIONARY.get((text, language), f"[{language}] {text}")


def _serve(protocol, key):
    stand_in = StandIn(protocol, key)
    stand_in.thread.start()
    try:
        yield stand_in
    finally:
        if stand_in.hold is not None:
            stand_in.hold.set()
        stand_in.server.shutdown()
        stand_in.server.server_close()


@pytest.fixture
def deepl(settings):
    for stand_in in _serve("deepl", "test-key:fx"):
        settings.TRANSLATION_BACKEND = "deepl"
        settings.DEEPL_API_URL = stand_in.url
        settings.DEEPL_AUTH_KEY = "test-key:fx"
        yield stand_in


@pytest.fixture
def libretranslate(settings):
    for stand_in in _serve("libretranslate", "school-key"):
        settings.TRANSLATION_BACKEND = "libretranslate"
        settings.LIBRETRANSLATE_URL = stand_in.url
        settings.LIBRETRANSLATE_API_KEY = "school-key"
        yield stand_in
