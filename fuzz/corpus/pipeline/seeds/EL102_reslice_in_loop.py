"""EL102 reslice-in-loop: marked lines must fire, all others must stay silent."""
import socket

import numpy as np
import torch

HEADER_SIZE = 4


# --- Must fire -------------------------------------------------------------------------------


def split_frames(buf, size):
    # A parameter (unknown provenance) consumed from the front in a `while` loop.
    frames = []
    while len(buf) >= size:
        frames.append(buf[:size])
        buf = buf[size:]  # error: EL102
    return frames


def drop_trailing(items, count):
    # A stop relative to the end, in a `for` loop.
    for _ in range(count):
        items = items[:-1]  # error: EL102
    return items


def receive_messages(sock: socket.socket, handle):
    # Bytes from `recv` consumed message by message: EL102, not EL103.
    data = sock.recv(4096)
    while data:
        length = data[0]
        handle(data[1:length + 1])
        consumed = length + 1
        data = data[consumed:]  # error: EL102


class LineReader:
    def __init__(self):
        self.buf = b""

    def feed(self, chunk):
        # The same attribute chain on both sides, in a method.
        self.buf += chunk
        lines = []
        while b"\n" in self.buf:
            index = self.buf.index(b"\n")
            lines.append(self.buf[:index])
            self.buf = self.buf[index + 1:]  # error: EL102
        return lines


class Session:
    def __init__(self, state):
        self.state = state

    def flush(self, send):
        # A longer attribute chain.
        while self.state.pending:
            send(self.state.pending[0])
            self.state.pending = self.state.pending[1:]  # error: EL102


def strip_quotes(text):
    # Both ends trimmed at once: `x[k:-m]`.
    while text.startswith('"') and text.endswith('"'):
        text = text[1:-1]  # error: EL102
    return text


def downsample(samples, rounds):
    # A step on an open slice still copies half each time.
    for _ in range(rounds):
        samples = samples[::2]  # error: EL102
    return samples


def parse_indented(lines):
    # Nested loops: the inner loop trims each line.
    result = []
    for line in lines:
        depth = 0
        while line.startswith("  "):
            line = line[2:]  # error: EL102
            depth += 1
        result.append((depth, line))
    return result


async def read_records(reader, handle):
    # An `async def` with a `while True` loop.
    buf = b""
    while True:
        chunk = await reader.read(1024)
        if not chunk:
            break
        buf += chunk
        while b";" in buf:
            end = buf.index(b";")
            await handle(buf[:end])
            buf = buf[end + 1:]  # error: EL102


def pop_front(queue, limit):
    # A list from `list(...)` consumed from the front under a condition.
    pending = list(queue)
    for _ in range(limit):
        if not pending:
            break
        print(pending[0])
        pending = pending[1:]  # error: EL102


def unwind(stack, target):
    # A list rebound to all but its last element inside `try`.
    frames = []
    frames.extend(stack)
    while frames:
        try:
            if frames[-1] == target:
                break
        finally:
            frames = frames[:-1]  # error: EL102
    return frames
