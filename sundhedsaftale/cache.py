"""A Redis cache that treats an unreachable Redis as an empty cache.

The cache holds nothing that cannot be recomputed (page fragments, the page-data token, the worker's
heartbeat), so while Redis is down every page still answers, only slower: a read is a miss, a write is
dropped. Log-in throttling does not live here (it counts in the database, accounts/throttle.py).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure, the cache is not asked again for this long (seconds): a page makes several cache calls,
# and each would otherwise wait for its own connection timeout.
PAUSE_AFTER_ERROR = 5.0


class TolerantRedisCache(RedisCache):
    _down_until = 0.0

    def _call(self, method, default, *args, **kwargs):
        if time.monotonic() < TolerantRedisCache._down_until:
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError as error:
            TolerantRedisCache._down_until = time.monotonic() + PAUSE_AFTER_ERROR
            logger.warning("Cache unavailable (%s: %s); serving without it", type(error).__name__, error)
            return default

    @classmethod
    def is_paused(cls) -> bool:
        return time.monotonic() < cls._down_until

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", None, key, delta, version)
