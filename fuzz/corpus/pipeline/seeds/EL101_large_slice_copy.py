"""EL101 large-slice-copy: marked lines must fire, all others must stay silent."""
import csv
import itertools
import socket

HEADER_SIZE = 4


# --- Must fire -------------------------------------------------------------------------------


def parse_csv_rows(lines):
    # The iterable of a `for`: skipping the header copies every other line.
    rows = []
    for line in lines[1:]:  # error: EL101
        rows.append(line.split(","))
    return rows


def number_tokens(tokens):
    # `enumerate` iterates its first argument once.
    for position, token in enumerate(tokens[2:], start=2):  # error: EL101
        print(position, token)


def payload_checksum(sock: socket.socket):
    # A bytes value from `recv` summed past its header.
    packet = sock.recv(1024)
    return sum(packet[HEADER_SIZE:]) & 0xFF  # error: EL101


def column_sums(table):
    # The source of a list comprehension.
    return [sum(row) for row in table[1:]]  # error: EL101


def deltas(samples):
    # The pairwise idiom: only the shifted copy is a slice.
    return [b - a for a, b in zip(samples, samples[1:])]  # error: EL101


def merge_columns(keys, values):
    # `zip` iterates every positional argument: two copies on one line.
    return dict(zip(keys[1:], values[1:]))  # error: EL101, EL101


def peak_before_last(readings):
    # A stop relative to the end, read once by `max` with a single positional argument.
    return max(readings[:-1], default=0)  # error: EL101


def cheapest_route(routes):
    # `min` with a key is still a single positional argument.
    return min(routes[1:], key=lambda route: route.cost)  # error: EL101


def trim_margins(readings, k, m):
    # A slice from `k` up to `m` before the end, summed once.
    return sum(readings[k:-m])  # error: EL101


def format_tail(parts):
    # `"sep".join` iterates its argument once.
    return ", ".join(parts[1:])  # error: EL101


def all_but_last_line(text_lines):
    # A literal separator, a stop relative to the end.
    return "\n".join(text_lines[:-1])  # error: EL101


def distinct_fields(fields):
    # `set` and `tuple` read a sole argument once.
    unique = set(fields[1:])  # error: EL101
    frozen = tuple(fields[1:])  # error: EL101
    return unique, frozen


def convert_fields(fields):
    # `map` iterates every argument after the function; `filter` its second argument.
    numbers = list(map(int, fields[1:]))  # error: EL101
    present = list(filter(None, fields[1:]))  # error: EL101
    return numbers, present


def has_comment(lines):
    # The source of a generator expression inside `any`.
    return any(line.startswith("#") for line in lines[1:])  # error: EL101


def every_digit(code):
    # A string from `str(...)`, read by `all` through a generator.
    text = str(code)
    return all(ch.isdigit() for ch in text[1:])  # error: EL101


def odd_positions(frames):
    # A step does not bound the copy.
    for frame in frames[1::2]:  # error: EL101
        print(frame)


def whole_copy_summed(weights):
    # In a consumer even the whole copy `x[:]` fires.
    return sum(weights[:])  # error: EL101


def index_records(records):
    # A dictionary comprehension and a set comprehension over slices.
    by_id = {r.id: r for r in records[1:]}  # error: EL101
    names = {r.name for r in records[1:]}  # error: EL101
    return by_id, names
