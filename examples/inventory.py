"""A small inventory module with the mistakes pymastery teaches about."""
import asyncio as aio
from typing import Protocol


class Priced(Protocol):
    def price(self) -> float: ...


class Sku:
    __slots__ = ("code",)

    def __init__(self, code):
        self.code = code

    def __eq__(self, other):
        return isinstance(other, Sku) and self.code == other.code


def restock(item, log=[]):
    """Record a restock and return the running log."""
    log.append(item)
    return log


def status_label(status):
    if status is "ready":
        return "Ready to ship"
    return "Waiting"


async def fetch_all(loaders):
    return await aio.gather(*(load() for load in loaders))
