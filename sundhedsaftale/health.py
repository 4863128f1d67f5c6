"""What /healthz reports besides the database: Redis (the broker and cache) and the worker's heartbeat.

The heartbeat is a timestamp the worker writes each time it runs the `uploads-watch` beat job
(indicators/tasks.py): a recent one means beat sends, the broker carries and a worker runs tasks."""

import time

import redis
from django.conf import settings
from django.core.cache import cache

HEARTBEAT_KEY = "worker-heartbeat"


def heartbeat_write() -> None:
    cache.set(HEARTBEAT_KEY, int(time.time()), None)


def redis_reachable() -> bool:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def worker_heartbeat() -> dict:
    """The worker's last heartbeat and whether it is recent (within three beat-job intervals)."""
    stamp = cache.get(HEARTBEAT_KEY)
    if stamp is None:
        return {"status": "unknown", "seconds_ago": None}
    age = max(0, int(time.time()) - int(stamp))
    fresh = age <= 3 * settings.UPLOAD_WATCH_SECONDS
    return {"status": "ok" if fresh else "stale", "seconds_ago": age}
