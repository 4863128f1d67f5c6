"""Which data an answer rests on, for the ETag, Last-Modified and X-Data-Version of every API response.

The version is the pages' (goals/selectors/page_cache.py, `data_version`): it changes whenever anything the
public pages and the API show changes. Its Last-Modified is the moment this version was first seen, kept in
the cache (shared by the web workers) and remembered by each process, so asking costs nothing after the
first time. Without the cache server the API still answers, just without conditional requests.
"""

import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.utils import timezone

from goals.selectors.page_cache import data_version

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Version:
    value: str
    last_modified: datetime
    # False when the version could not be read (the cache server is down): nothing may be cached then.
    known: bool = True


_seen: OrderedDict[str, datetime] = OrderedDict()


def current() -> Version:
    try:
        value = data_version()
    except Exception:  # the cache backend's own errors vary (redis.ConnectionError, timeouts)
        logger.warning("API data version unavailable: the cache is down", exc_info=True)
        now = timezone.now()
        return Version(f"ukendt-{now.timestamp()}", now, known=False)
    if value not in _seen:
        key = "api:version-seen:" + hashlib.sha1(value.encode()).hexdigest()
        now = timezone.now().replace(microsecond=0)
        try:
            cache.add(key, now.timestamp(), 7 * 24 * 3600)
            first = cache.get(key)
            first = datetime.fromtimestamp(float(first), tz=UTC) if first is not None else now
        except Exception:
            first = now
        _seen[value] = first
        while len(_seen) > 20:
            _seen.popitem(last=False)
    return Version(value, _seen[value])
