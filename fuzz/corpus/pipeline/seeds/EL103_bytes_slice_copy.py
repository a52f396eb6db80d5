"""EL103 bytes-slice-copy: marked lines must fire, all others must stay silent."""
import hashlib
import socket
import zlib

HEADER = 4
CRC_SIZE = 2


# --- Must fire -------------------------------------------------------------------------------


def send_message(sock: socket.socket, message: str):
    # The classic partial-send loop: every retry copies the unsent tail.
    buf = message.encode()
    total = 0
    while total < len(buf):
        sent = sock.send(buf[total:])  # error: EL103
        total += sent


def handle_packets(sock: socket.socket, count, parse):
    # A `for` loop parsing the payload after a fixed header.
    for _ in range(count):
        packet = sock.recv(2048)
        parse(packet[4:])  # error: EL103


def verify_frames(path, count):
    # A binary read from a file opened with `with`.
    with open(path, "rb") as f:
        results = []
        for _ in range(count):
            frame = f.read(512)
            results.append(zlib.crc32(frame[HEADER:]))  # error: EL103
    return results


def strip_crc(path, sizes):
    # Not reported: the slice is kept (appended), so it must stay bytes.
    f = open(path, "rb")
    bodies = []
    for size in sizes:
        frame = f.read(size)
        body = frame[:-CRC_SIZE]
        bodies.append(body)
    return bodies


def accumulate_and_scan(sock: socket.socket, marker):
    # `b""` extended with `+=` keeps the bytes kind.
    data = b""
    while True:
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
        if data[HEADER:].startswith(marker):  # error: EL103
            return True
    return False


def decode_registers(conn, handle):
    # A bytearray buffer read past its header in a loop.
    buf = bytearray()
    while True:
        buf.extend(conn.recv(64))
        if len(buf) >= HEADER:
            handle(bytes(buf[HEADER:]))  # error: EL103
            buf.clear()


def rolling_digests(blob, offsets):
    # `bytes(...)` hashed from every offset to the end.
    data = bytes(blob)
    digests = []
    for offset in offsets:
        digests.append(hashlib.sha256(data[offset:]).hexdigest())  # error: EL103
    return digests


def suffixes(sock: socket.socket, offsets):
    # A comprehension element counts as inside a loop.
    payload = sock.recv(4096)
    return [payload[off:] for off in offsets]  # error: EL103


async def stream_lines(channel, lines):
    # An `async def`: an encoded line re-sent from its send position.
    for line in lines:
        encoded = line.encode("utf-8")
        pos = 0
        while pos < len(encoded):
            pos += await channel.send(encoded[pos:])  # error: EL103


def split_records(path, handle):
    # A different target name: `rest = buf[n:]` is not the EL102 pattern.
    buf = open(path, "rb").read()
    pos = 0
    while pos < len(buf):
        rest = buf[pos:]  # error: EL103
        size = rest[0]
        handle(rest[1:size + 1])
        pos += size + 1


def interleaved(path, channels):
    # A step on an open slice: every other byte, once per channel.
    raw = open(path, "rb").read()
    out = []
    for channel in range(channels):
        out.append(raw[channel::channels])  # error: EL103
    return out


def snapshot_each(sock: socket.socket, rounds, store):
    # The whole copy of a bytearray.
    frame = bytearray(256)
    for _ in range(rounds):
        sock.recv_into(frame)
        store(frame[:])  # error: EL103
