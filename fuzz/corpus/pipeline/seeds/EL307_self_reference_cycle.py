"""EL307 self-reference-cycle: marked lines must fire, all others must stay silent."""
import dataclasses
import functools
import logging
import threading
import weakref

log = logging.getLogger(__name__)


def parse_frame(raw):
    return raw.split(b"\x00")


def retry_handler(attempt, job):
    log.warning("retry %d of %s", attempt, job)


# --- Must fire -------------------------------------------------------------------------------


class SerialReader:
    def __init__(self, port):
        self.port = port
        self.buffer = bytearray()
        # The instance stores its own bound method: self -> bound method -> self.
        self.on_data = self._handle_data  # error: EL307

    def _handle_data(self, chunk):
        self.buffer.extend(chunk)


class JobRunner:
    def __init__(self, queue):
        self.queue = queue
        # A bound method kept as the callback.
        self._callback = self.process  # error: EL307

    def process(self, job):
        job.run()

    def start(self):
        # Stored from a method other than __init__.
        self._worker_target = self._drain  # error: EL307
        threading.Thread(target=self._worker_target, daemon=True).start()

    def _drain(self):
        while True:
            self._callback(self.queue.get())


class MessageBus:
    def __init__(self, transport, sort_field):
        self.transport = transport
        self.sort_field = sort_field
        # A lambda whose body reads self, stored on self.
        self.dispatch_fn = lambda message: self.dispatch(message)  # error: EL307
        # A key function reading an attribute of self.
        self.sort_key = lambda item: item[self.sort_field]  # error: EL307
        # A formatter lambda reading self.
        self.formatter = lambda record: "{}: {}".format(self.transport.name, record)  # error: EL307

    def dispatch(self, message):
        self.transport.send(message)


class Heartbeat:
    def __init__(self, interval):
        self.interval = interval
        self.ticks = 0

        def on_tick():
            self.ticks += 1

        # A nested function capturing self, stored on self.
        self._on_tick = on_tick  # error: EL307


class WebSocketSession:
    async def connect(self, url):
        self.ws = await open_websocket(url)
        # Set inside an async method.
        self._on_message = self._handle_message  # error: EL307

        async def keepalive():
            await self.ws.ping()

        # A nested coroutine function capturing self.
        self._keepalive = keepalive  # error: EL307

    async def _handle_message(self, message):
        log.debug("message %r", message)


@dataclasses.dataclass
class Thermostat:
    target: float
    hysteresis: float = 0.5

    def __post_init__(self):
        # A dataclass hook storing a bound method.
        self.validator = self.check_reading  # error: EL307

    def check_reading(self, value):
        return abs(value - self.target) <= self.hysteresis


class RetryPolicy:
    def __init__(self, attempts):
        self.attempts = attempts
        # A zero-argument lambda reading self.
        self.exhausted = lambda: self.attempts <= 0  # error: EL307
