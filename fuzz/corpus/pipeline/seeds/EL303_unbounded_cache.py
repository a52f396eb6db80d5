"""EL303 unbounded-cache: marked lines must fire, all others must stay silent."""
import enum
import functools
import ipaddress
import json
import re
import socket
import typing
from enum import Enum
from functools import cache, lru_cache
from typing import Literal

import mycache


class Mode(enum.Enum):
    IDLE = "idle"
    ACTIVE = "active"
    BURST = "burst"


class Channel(Enum):
    LEFT = 0
    RIGHT = 1


class Priority(enum.IntEnum):
    LOW = 0
    NORMAL = 1
    HIGH = 2


# --- Must fire -------------------------------------------------------------------------------


# Every distinct User-Agent string stays cached for the life of the process.
@functools.cache  # error: EL303
def parse_user_agent(user_agent: str):
    browser, _, version = user_agent.partition("/")
    return browser, version


# The bare `cache` imported from functools, keyed by any hostname.
@cache  # error: EL303
def resolve_host(hostname):
    return socket.gethostbyname(hostname)


# lru_cache with maxsize=None is unbounded.
@functools.lru_cache(maxsize=None)  # error: EL303
def load_template(name):
    with open(f"templates/{name}.html") as fh:
        return fh.read()


# maxsize=None given positionally.
@lru_cache(None)  # error: EL303
def compile_route_pattern(pattern):
    return re.compile(pattern)


# typed=True does not bound it.
@lru_cache(maxsize=None, typed=True)  # error: EL303
def scale_reading(raw, gain):
    return raw * gain


# An int parameter: one entry per distinct sensor id.
@functools.cache  # error: EL303
def calibration_for(sensor_id: int):
    return CALIBRATION_TABLE.get(sensor_id, 1.0)


# A bool parameter beside an unbounded str parameter does not make the domain small.
@functools.cache  # error: EL303
def render_badge(label: str, dark: bool):
    background = "#222" if dark else "#eee"
    return f'<span style="background:{background}">{label}</span>'


# An Enum parameter beside an unannotated one does not make the domain small.
@cache  # error: EL303
def poll_interval_for(mode: Mode, site):
    return SITE_INTERVALS[site] if mode is Mode.BURST else 60


# Varargs: one entry per distinct tuple of topic parts.
@functools.cache  # error: EL303
def join_topic(*parts):
    return "/".join(parts)


# A keyword-only parameter.
@functools.lru_cache(maxsize=None)  # error: EL303
def subnet_of(*, address):
    return ipaddress.ip_network(address, strict=False)


# A parameter with a default value.
@cache  # error: EL303
def read_setting(key, section="default"):
    return SETTINGS[section][key]


# Stacked under another decorator: the finding points at the cache decorator.
@log_calls
@functools.cache  # error: EL303
def fetch_schema(schema_id):
    return json.loads(SCHEMA_STORE.get(schema_id))


# A decorator written over several lines: the finding points at its first line.
@functools.lru_cache(  # error: EL303
    maxsize=None,
)
def normalize_path(path):
    return path.rstrip("/").lower()


# --- Must not fire ---------------------------------------------------------------------------


# No parameters: at most one entry.
@functools.cache
def load_settings():
    with open("settings.json") as fh:
        return json.load(fh)


# No parameters, with lru_cache(maxsize=None).
@lru_cache(maxsize=None)
def local_hostname():
    return socket.gethostname()


# A bool parameter has two values.
@functools.cache
def log_format(verbose: bool):
    return "%(asctime)s %(name)s %(message)s" if verbose else "%(message)s"
