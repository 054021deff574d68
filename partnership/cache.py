"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's backend makes a new ``redis.Redis`` object for every cache operation. Making one sets up
its table of reply handlers and its event dispatcher: more time than the round trip itself on a
logged-in request, which reads the cache once per request. The client object holds no data, only
the pool, and is safe to share between threads (the pool hands each call its own connection), so
one per pool is enough. The cached values themselves are read from Redis on every call.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _ClientPerPool(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # The pools are kept for the life of this object, so an id never names another one.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ClientPerPool
