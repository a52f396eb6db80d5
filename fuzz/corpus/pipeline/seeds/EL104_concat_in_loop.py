"""EL104 concat-in-loop: marked lines must fire, all others must stay silent."""
import io
import socket

import numpy as np


# --- Must fire -------------------------------------------------------------------------------


def render_words(words):
    # A str accumulator grown with `+=` in a `for` loop.
    out = ""
    for word in words:
        out += word + " "  # error: EL104
    return out


def read_all(path):
    # A bytes accumulator in a `while` loop.
    f = open(path, "rb")
    out = b""
    while True:
        chunk = f.read(4096)
        if not chunk:
            break
        out += chunk  # error: EL104
    return out


def collect_ids(items):
    # A tuple rebuilt with `acc = acc + x`.
    acc = ()
    for item in items:
        acc = acc + (item.id,)  # error: EL104
    return acc


def collect_names(items):
    # A list rebuilt with `acc = acc + x` copies every time (unlike `+=`).
    acc = []
    for item in items:
        acc = acc + [item.name]  # error: EL104
    return acc


def recv_exactly(sock: socket.socket, n):
    # Bytes from `recv`, topped up until complete.
    data = sock.recv(4)
    while len(data) < n:
        data += sock.recv(n - len(data))  # error: EL104
    return data


def render_table(rows):
    # Initialised in the outer loop, grown in the inner loop.
    lines = []
    for row in rows:
        line = ""
        for cell in row:
            line += str(cell) + "\t"  # error: EL104
        lines.append(line)
    return lines


async def download(response):
    # An `async for` loop in an `async def`.
    body = b""
    async for chunk in response.content.iter_chunked(1024):
        body += chunk  # error: EL104
    return body


class Menu:
    def __init__(self, items):
        self.items = items

    def to_html(self):
        # A method: the accumulator is a plain local, `self` is only read.
        html = "<ul>"
        for item in self.items:
            html += f"<li>{item}</li>"  # error: EL104
        html += "</ul>"
        return html


def build_packet(header, fields):
    # Bytes from `.encode()`, extended field by field.
    packet = header.encode()
    for field in fields:
        packet = packet + field.encode()  # error: EL104
    return packet


def visit_path(graph, start):
    # A tuple from `tuple()` grown in a `while` loop.
    path = tuple()
    node = start
    while node is not None:
        path += (node,)  # error: EL104
        node = graph.get(node)
    return path


def decode_stream(raw, extras):
    # A str from `.decode()`, grown with `acc = acc + x`.
    text = raw.decode("utf-8")
    for extra in extras:
        text = text + extra  # error: EL104
    return text


def append_notes(path, notes):
    # A str from a text-mode read, grown under a condition.
    doc = open(path).read()
    for note in notes:
        if note.strip():
            doc += "\n" + note  # error: EL104
    return doc


def xor_frame(payload, key):
    # `bytes(...)` grown byte by byte.
    frame = bytes(2)
    for b in payload:
        frame += bytes([b ^ key])  # error: EL104
    return frame


def pages(sources):
    # Nested loops: a `while` inside a `for`, initialised in the outer body.
    results = []
    for source in sources:
        text = ""
        while source.has_more():
            text += source.next_page()  # error: EL104
        results.append(text)
    return results
