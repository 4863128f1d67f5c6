"""The page cache. The overview and the measure page are read far more often than their data changes, and
rendering them costs tens of milliseconds, so their rendered fragments ({% cache %} in their templates) are
kept under a key that holds the data version: any change to what they show gives new keys, and the old
entries are never read again (they expire after PAGE_CACHE_SECONDS).
"""

import functools
import hashlib
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.cache.utils import make_template_fragment_key
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from redis.exceptions import RedisError

from clusters.models import Area
from indicators.models import DataSource, Indicator, Upload
from indicators.signals import observations_changed

from ..models import Agreement, AgreementSection, FocusArea, Measure, MeasureStatus, Objective, Target, Vision

# The data version is made of
# - the newest stored status (id and computed_at): every data change ends in a status refresh (an upload
#   loaded or rolled back, sample data generated, a target edited), in whichever process it runs;
# - the newest upload load and rollback, so new values count before their refresh has finished;
# - a token replaced on every save or delete of the agreements' texts, areas, indicators and values made
#   through the ORM (the admin, the report pages, commands), right away and again when the transaction
#   commits, so a render between the two cannot keep the old text under the new version.
# Nothing user-specific may go inside a cached fragment.

PAGE_CACHE_SECONDS = 600
_TOKEN_KEY = "goals:page-data-token"
# Models whose rows never show on the cached pages, or whose changes reach them through a status refresh.
# Activity reports show only once approved: their drafts are saved every few seconds while a secretary types,
# so the report services replace the token themselves when a report is approved or reopened.
_NOT_SHOWN = {
    "measurestatus",
    "upload",
    "stagedobservation",
    "observationhistory",
    "auditevent",
    "activityreport",
    "activity",
    "reportinground",
    "secretariatassignment",
}


def _token_replace(**kwargs) -> None:
    # An integer, which the Redis backend stores as plain digits (see _token_read).
    cache.set(_TOKEN_KEY, secrets.randbits(62), None)


def page_data_changed() -> None:
    """Something the cached pages show has changed in a way no model signal above catches: new version now
    and again when the transaction commits."""
    _token_replace()
    transaction.on_commit(_token_replace)


def _token_read():
    """The token, read on every page view. With Redis, through one client kept for the process: Django's
    RedisCache builds a new client object for every call, which is most of the cost of a read this small."""
    client = _redis_client()
    if client is None:
        return cache.get(_TOKEN_KEY)
    try:
        raw = client.get(cache.make_and_validate_key(_TOKEN_KEY))
    except RedisError:
        return cache.get(_TOKEN_KEY)  # Redis is down: the cache backend says so (sundhedsaftale/cache.py)
    if raw is None or not raw.isdigit():
        return cache.get(_TOKEN_KEY)  # absent, or written by something else: the backend decodes it
    return int(raw)


@functools.cache
def _redis_client():
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(write=False)


def _saved(sender, **kwargs) -> None:
    meta = sender._meta
    if meta.app_label in {"goals", "clusters", "indicators"} and meta.model_name not in _NOT_SHOWN:
        _token_replace()
        transaction.on_commit(_token_replace)


def connect() -> None:
    """Called from GoalsConfig.ready(): renew the token on every change to what the pages show."""
    post_save.connect(_saved, dispatch_uid="goals_page_cache_saved")
    m2m_changed.connect(_saved, dispatch_uid="goals_page_cache_m2m")
    # Per model, not for every sender: a delete receiver for a model makes Django fetch and signal every row
    # a queryset delete removes, which the status refresh and an upload's rollback must not pay.
    # Observations are left out for the same reason; their deletes come with a status refresh.
    for model in (
        Agreement,
        AgreementSection,
        Vision,
        FocusArea,
        Objective,
        Measure,
        Target,
        Area,
        Indicator,
        DataSource,
    ):
        post_delete.connect(_saved, sender=model, dispatch_uid=f"goals_page_cache_deleted_{model.__name__}")
    observations_changed.connect(_token_replace, dispatch_uid="goals_page_cache_observations")


def data_version() -> str:
    """The version of everything the cached pages show (see above): one cache read and one query."""
    token = _token_read()
    if token is None:
        # An evicted or flushed token must not bring an old version back.
        cache.add(_TOKEN_KEY, secrets.randbits(62), None)
        token = _token_read()
    if token is None:
        # No cache (Redis is down): a version of this request's own, so nothing cached is read, in this
        # process (`_recent`) or elsewhere, while a change could not replace the token. Pages render in full.
        token = f"uncached-{secrets.randbits(62)}"
    statuses, uploads = MeasureStatus._meta.db_table, Upload._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {statuses}), "
            f"(SELECT computed_at FROM {statuses} ORDER BY id DESC LIMIT 1), "
            f"(SELECT MAX(loaded_at) FROM {uploads}), (SELECT MAX(rolled_back_at) FROM {uploads})"
        )
        stamps = cursor.fetchone()
    return "|".join([str(token), *(str(s) for s in stamps)])


@functools.cache
def _code_version() -> str:
    """What the fragments were rendered with besides the data: the templates and the static files' hashed
    names (a deploy must not serve fragments that name assets it no longer has). Once per process."""
    digest = hashlib.sha1(getattr(staticfiles_storage, "manifest_hash", "").encode())
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).rglob("*.html")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_area_codes_memo: dict[str, frozenset[str]] = {}


def area_codes(version: str) -> frozenset[str]:
    """Every area code, read once per data version and process: what a cacheable ?omraade= may be."""
    if version not in _area_codes_memo:
        _area_codes_memo.clear()
        _area_codes_memo[version] = frozenset(Area.objects.values_list("code", flat=True))
    return _area_codes_memo[version]


@dataclass
class PageCache:
    """One page's cache key and the fragments already cached under it (read in one round trip).

    `hit` means every fragment is there, so the view computes nothing; otherwise it computes the page and
    the template's {% cache page.seconds <prefix>-<name> page.key %} tags store what is missing.
    `seconds` is 0 (store nothing) for query strings that are not a plain choice, so made-up parameters
    cannot fill the cache."""

    key: str
    seconds: int
    fragments: dict[str, str]
    names: tuple[str, ...]

    @property
    def hit(self) -> bool:
        return self.seconds > 0 and all(name in self.fragments for name in self.names)


def page_cache(prefix: str, names: tuple[str, ...], *, parts: tuple[str, ...], cacheable) -> PageCache:
    """`parts` name the page and the user's choices (slug or id, area, year, ...); the language, today's
    year (the default evaluation year) and the data version are added here. `cacheable(version)` says
    whether the choices are plain ones (see `plain_choice`)."""
    version = data_version()
    cacheable = cacheable(version)
    key = "|".join([_code_version(), version, get_language() or "", str(timezone.localdate().year), *parts])
    seconds = PAGE_CACHE_SECONDS if cacheable else 0
    if cacheable and (fragments := _recent.get((prefix, key))) is not None:
        _recent.move_to_end((prefix, key))
        return PageCache(key=key, seconds=seconds, fragments=fragments, names=names)
    keys = {make_template_fragment_key(f"{prefix}-{name}", [key]): name for name in names}
    found = cache.get_many(list(keys)) if cacheable else {}
    fragments = {keys[k]: mark_safe(v) for k, v in found.items()}
    page = PageCache(key=key, seconds=seconds, fragments=fragments, names=names)
    if page.hit:
        _recent[prefix, key] = fragments
        while len(_recent) > RECENT_PAGES:
            _recent.popitem(last=False)
    return page


# The pages this process served most recently, so that a hit costs no second trip to the cache server. The
# key holds the data version, so an entry is never stale, only unused.
RECENT_PAGES = 200
_recent: OrderedDict[tuple[str, str], dict[str, str]] = OrderedDict()


def plain_choice(value: str, allowed) -> bool:
    """Whether a query parameter is empty or one of `allowed` (then its page may be cached)."""
    return value == "" or value in allowed


YEAR_CHOICES = frozenset(str(year) for year in range(1990, 2101))
