"""A real SMTP server on loopback (aiosmtpd) with faults a test can program."""

import asyncio
import logging
import socket
import threading
from collections import Counter
from email import message_from_bytes

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FaultyHandler:
    def __init__(self):
        self.lock = threading.Lock()
        self.delivered = []  # (recipient, Message-ID)
        self.bad_addresses = set()  # 550 at RCPT
        self.transient = Counter()  # address -> number of 451 answers still to give
        self.drop = Counter()  # address -> number of dropped connections (before accepting)
        self.refuse_all = False  # 421 for everything: "the server refuses for an hour"
        self.delay = 0.0  # seconds per message: a slow server, so a test can kill mid-batch
        self.refused = 0  # attempts answered with 421 while refusing everything

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if self.refuse_all:
                self.refused += 1
                return "421 4.3.2 Service not available, try again later"
            if address in self.bad_addresses:
                return "550 5.1.1 No such user here"
            if self.transient[address] > 0:
                self.transient[address] -= 1
                return "451 4.3.0 Temporary failure, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            drop = [a for a in envelope.rcpt_tos if self.drop[a] > 0]
            for address in drop:
                self.drop[address] -= 1
        if drop:
            server.transport.close()  # the connection is gone before the server said yes
            return "421 closing"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content)
        with self.lock:
            for address in envelope.rcpt_tos:
                self.delivered.append((address, message["Message-ID"], message))
        return "250 Message accepted for delivery"

    def counts(self):
        with self.lock:
            return Counter(message_id for _address, message_id, _m in self.delivered)


class SmtpServer:
    def __init__(self):
        self.handler = FaultyHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per SMTP command
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
