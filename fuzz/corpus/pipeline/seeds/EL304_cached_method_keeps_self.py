"""EL304 cached-method-keeps-self: marked lines must fire, all others must stay silent."""
import dataclasses
import functools
import threading
from functools import cache, lru_cache

import cachetools
from cachetools import LRUCache, TTLCache, cached


# --- Must fire -------------------------------------------------------------------------------


class WeatherClient:
    def __init__(self, session, base_url):
        self.session = session
        self.base_url = base_url

    # Every client ever created stays alive in the shared cache, keyed by (self, city).
    @functools.cache  # error: EL304
    def forecast(self, city):
        return self.session.get(f"{self.base_url}/forecast/{city}").json()

    # A bounded lru_cache still keeps up to 128 clients alive.
    @functools.lru_cache  # error: EL304
    def station(self, station_id):
        return self.session.get(f"{self.base_url}/stations/{station_id}").json()

    # A small maxsize still holds self in every entry.
    @functools.lru_cache(maxsize=32)  # error: EL304
    def alerts(self, region):
        return self.session.get(f"{self.base_url}/alerts/{region}").json()

    # maxsize=None with typed=True: unbounded, and every entry holds self.
    @functools.lru_cache(maxsize=None, typed=True)  # error: EL304
    def tile(self, x, y, zoom):
        return self.session.get(f"{self.base_url}/tiles/{zoom}/{x}/{y}").content


class TemplateRenderer:
    def __init__(self, loader):
        self.loader = loader

    # lru_cache() imported from functools.
    @lru_cache()  # error: EL304
    def compiled(self, name):
        return self.loader.load(name).compile()

    # A method with no other parameter: the cache still holds self.
    @cache  # error: EL304
    def template_globals(self):
        return {"version": self.loader.version}


class InventoryService:
    def __init__(self, db):
        self.db = db

    # cachetools.cached keys on every argument, self included.
    @cachetools.cached(cachetools.TTLCache(maxsize=256, ttl=60))  # error: EL304
    def stock_level(self, sku):
        return self.db.query_one("SELECT qty FROM stock WHERE sku = ?", sku)

    # cached imported from cachetools.
    @cached(LRUCache(maxsize=64))  # error: EL304
    def supplier(self, sku):
        return self.db.query_one("SELECT supplier FROM items WHERE sku = ?", sku)

    # A decorator written over several lines: the finding points at its first line.
    @cached(  # error: EL304
        cache=TTLCache(maxsize=32, ttl=300),
    )
    def price(self, sku):
        return self.db.query_one("SELECT price FROM prices WHERE sku = ?", sku)


class SensorReader:
    def __init__(self, bus, address):
        self.bus = bus
        self.address = address

    # The old idiom of a property over a cached method: the cache keeps every reader.
    @property
    @functools.lru_cache(maxsize=None)  # error: EL304
    def serial_number(self):
        return self.bus.read_block(self.address, 0x80, 8).hex()


@dataclasses.dataclass(frozen=True)
class Calibration:
    offset: float
    gain: float

    # A hashable frozen dataclass is still kept alive by the cache.
    @functools.cache  # error: EL304
    def apply(self, raw):
        return (raw - self.offset) * self.gain
