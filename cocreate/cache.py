"""A Redis cache that degrades instead of failing when Redis is down, so the site keeps serving.

Django's ``RedisCache`` raises ``redis.ConnectionError`` from every call while Redis is
unreachable; sessions live in the database, so the cache only ever holds what can be
recomputed (throttle histories, allauth's rate-limit counters, page fragments). This backend
answers reads (``get``, ``get_many``, ``has_key``) as misses and turns writes and deletes
(``set``, ``set_many``, ``touch``, ``delete``, ``delete_many``, ``clear``) into no-ops, logging
one warning a minute per process.

``add`` is the atomic operation of locks: it reports success while Redis is down, so a lock
built on it (allauth's rate-limit lock, "one build at a time") lets the request go on rather
than wait and refuse log in. ``incr`` cannot pretend: it raises ``CacheUnavailable``, as a
missing key would raise ``ValueError``. The write limits keep their counters in a cache alias
of their own (``limits``, ``cocreate.limits.CountersCache``) that counts in the process instead.

``CacheUnavailable`` subclasses ``redis.exceptions.ConnectionError``: where nobody catches it,
the request ends as a 503 with ``Retry-After`` (``cocreate.unavailable``). Connections time out
after ``CACHE_TIMEOUT_SECONDS`` so an unreachable host cannot hang a request.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY_SECONDS = 60


class CacheUnavailable(RedisConnectionError):
    """Redis could not be reached for an atomic cache operation (``add``, ``incr``)."""


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's client makes a new ``redis.Redis`` for every cache call, and redis-py fills some 170
    response callbacks into each: about a third of what serving a cached page costs. One client per
    connection pool serves every call instead; a ``redis.Redis`` may be shared between threads, its
    pool giving each command a connection of its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools live as long as this client: their ids stay theirs
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class TolerantRedisCache(RedisCache):
    _warned_at = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def _unreachable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - TolerantRedisCache._warned_at > WARN_EVERY_SECONDS:
            TolerantRedisCache._warned_at = now
            logger.warning("Cache unreachable (%s on %s); serving without it", type(error).__name__, operation)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            self._unreachable("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            self._unreachable("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            self._unreachable("has_key", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("set", error)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("set_many", error)
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            self._unreachable("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as error:
            self._unreachable("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as error:
            self._unreachable("clear", error)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            self._unreachable("add", error)
            return True

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            raise CacheUnavailable(f"cache incr failed: {type(error).__name__}") from error
