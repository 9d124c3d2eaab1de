"""A local SMTP sink for the newsletter benchmark: aiosmtpd on loopback, counting what it
receives (and every recipient, to catch a double), writing its figures to a JSON file twice a
second.

    .venv/bin/python bench/smtp_sink.py PORT STATUS_FILE
"""

import asyncio
import json
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self):
        self.count = 0
        self.first = None
        self.last = None
        self.recipients = set()
        self.doubles = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):
        now = time.time()
        self.first = self.first or now
        self.last = now
        self.count += 1
        self.bytes += len(envelope.original_content)
        for address in envelope.rcpt_tos:
            if address in self.recipients:
                self.doubles += 1
            self.recipients.add(address)
        return "250 OK"


def main():
    port, status_file = int(sys.argv[1]), sys.argv[2]
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    try:
        while not stop.wait(0.5):
            figures = {"count": counter.count, "first": counter.first, "last": counter.last,
                       "unique": len(counter.recipients), "doubles": counter.doubles,
                       "bytes": counter.bytes}  # fmt: skip
            with open(status_file + ".tmp", "w") as handle:
                json.dump(figures, handle)
            __import__("os").replace(status_file + ".tmp", status_file)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
    main()
