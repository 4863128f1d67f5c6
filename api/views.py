"""The open data API, /api/v1/: thin views over api/selectors.py.

Every answer is an envelope that names the URL reproducing it and the data version it rests on (also as the
`Link: <...>; rel="self"` and `X-Data-Version` headers), with `ETag` and `Last-Modified` from the data
version, so a client that asks again with If-None-Match / If-Modified-Since gets 304 without any work here.
Public answers are also kept, rendered, in this process until the data changes (the key holds the version).
"""

import hashlib
from collections import OrderedDict

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language, gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from goals.models import Measure
from indicators import fileformat
from indicators.models import ALL

from . import selectors, serializers, versioning
from .renderers import DanishCSVRenderer, FastJSONRenderer

S = serializers
h = serializers.h

# Rendered public answers kept in this process (key: the ETag, which holds the data version and the URL).
CACHE_MAX_BYTES = 64 * 1024 * 1024
CACHE_MAX_ITEM = 4 * 1024 * 1024
_responses: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
_responses_bytes = [0]


def _remember(etag: str, content: bytes, content_type: str) -> None:
    if len(content) > CACHE_MAX_ITEM or etag in _responses:
        return
    _responses[etag] = (content, content_type)
    _responses_bytes[0] += len(content)
    while _responses_bytes[0] > CACHE_MAX_BYTES:
        _key, (old, _type) = _responses.popitem(last=False)
        _responses_bytes[0] -= len(old)


def _etag_matches(header: str, etag: str) -> bool:
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in candidates or etag in candidates


class ApiView(APIView):
    """One endpoint: `payload(request, **kwargs)` returns the envelope's rows (or object) and the sample flag;
    this class adds the envelope, the headers and the conditional answers."""

    renderer_classes = [FastJSONRenderer]
    # True where what a token's user may see differs from the public (drafts, unpublished reports): such
    # answers are private and never kept, since a draft changes without the data version changing.
    user_specific = False

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A NUL byte can reach no stored text, and PostgreSQL refuses to compare with one (a 500 otherwise).
        texts = [*map(str, kwargs.values())]
        for name, values in request.query_params.lists():
            texts += [name, *values]
        if any("\x00" in text for text in texts):
            raise ParseError(
                gettext("Adressen indeholder et NUL-tegn (%00), som ingen kode eller værdi har.")
            )
        self.version = versioning.current()
        self.etag = None
        self.next_url = None

    def get(self, request, *args, **kwargs):
        private = self.user_specific and request.user.is_authenticated
        if not private and self.version.known:
            extra, extra_time = self.extra_version()
            self.last_modified = max(t for t in (self.version.last_modified, extra_time) if t is not None)
            key = "|".join(
                [
                    self.version.value,
                    extra,
                    request.get_full_path(),
                    request.accepted_renderer.format,
                    get_language() or "",
                ]
            )
            self.etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
            if self._not_modified(request):
                return HttpResponseNotModified()
            if (kept := _responses.get(self.etag)) is not None:
                return HttpResponse(kept[0], content_type=kept[1])
        try:
            payload = self.payload(request, *args, **kwargs)
        except selectors.BadFilter as error:
            raise ParseError(str(error)) from error
        self.next_url = payload.get("next")
        return Response(
            {
                "self": request.build_absolute_uri(),
                "data_version": self.version.value,
                "eksempeldata": payload.pop("eksempeldata"),
                **payload,
            }
        )

    def _not_modified(self, request) -> bool:
        if none_match := request.headers.get("If-None-Match"):
            return _etag_matches(none_match, self.etag)
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        return since is not None and int(self.last_modified.timestamp()) <= since

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        version = getattr(self, "version", None)
        if version is not None:
            response["X-Data-Version"] = version.value
        links = [f'<{request.build_absolute_uri()}>; rel="self"']
        if getattr(self, "next_url", None):
            links.append(f'<{self.next_url}>; rel="next"')
        response["Link"] = ", ".join(links)
        patch_vary_headers(response, ("Accept", "Authorization"))
        if getattr(self, "etag", None) and response.status_code in (200, 304):
            response["ETag"] = self.etag
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
            response["Cache-Control"] = "public, max-age=60"
            if isinstance(response, Response) and response.status_code == 200:
                response.render()
                _remember(self.etag, response.content, response["Content-Type"])
        elif self.user_specific and getattr(request, "user", None) and request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response

    def payload(self, request, *args, **kwargs) -> dict:
        raise NotImplementedError

    def extra_version(self) -> tuple[str, object]:
        """What the answer rests on besides the pages' data version (its text, and when it last changed)."""
        return "", None


def _int_param(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise selectors.BadFilter(
            f"{name}: et heltal fra {low} til {high} / a whole number from {low} to {high}"
        )
    return int(raw)


PAGE_SIZE, PAGE_MAX = 100, 1000


def _paging(request) -> tuple[int, int]:
    return _int_param(request, "antal", PAGE_SIZE, 1, PAGE_MAX), _int_param(request, "side", 1, 1, 1_000_000)


def _page(request, items) -> dict:
    """A page of `items` (?side=, ?antal=) in the order given, with the total and the neighbouring pages."""
    size, number = _paging(request)
    count = len(items) if isinstance(items, list) else items.count()
    start = (number - 1) * size
    url = request.build_absolute_uri()
    previous = None
    if number > 1:
        previous = (
            remove_query_param(url, "side") if number == 2 else replace_query_param(url, "side", number - 1)
        )
    return {
        "count": count,
        "previous": previous,
        "next": replace_query_param(url, "side", number + 1) if start + size < count else None,
        "results": items[start : start + size],
    }


# Parameters shared by several endpoints (their descriptions are the contract's).


def _param(name, description, *, type_=str, enum=None, minimum=None, maximum=None):
    if minimum is not None:
        type_ = {"type": "integer", "minimum": minimum, "maximum": maximum}
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, description=description, enum=enum)


FORMAT = _param(
    "format",
    h(
        "Svarformat: json eller csv (semikolon, decimalkomma, UTF-8 med BOM)",
        "Format: json or csv (semicolon, decimal comma, UTF-8 with BOM)",
    ),
    enum=["json", "csv"],
)
SIDE = _param(
    "side", h("Sidenummer (fra 1)", "Page number (from 1)"), type_=int, minimum=1, maximum=1_000_000
)
ANTAL = _param(
    "antal",
    h(
        f"Rækker pr. side (1-{PAGE_MAX}, standard {PAGE_SIZE})",
        f"Rows per page (1-{PAGE_MAX}, default {PAGE_SIZE})",
    ),
    type_=int,
    minimum=1,
    maximum=PAGE_MAX,
)
OMRAADE = _param(
    "omraade", h("Områdekoder, kommasepareret, fx 461,479", "Area codes, comma-separated, e.g. 461,479")
)
OMRAADETYPE = _param(
    "omraadetype",
    h(
        "Områdetype(r): land, region, sundhedsklynge, kommune (kommasepareret)",
        "Kind(s) of area: land (country), region, sundhedsklynge (cluster), kommune (municipality)",
    ),
)
REGION = _param(
    "region",
    h(
        "Kun områder i denne region (regionskode, fx 1083)",
        "Only areas in this region (region code, e.g. 1083)",
    ),
)
KOEN = _param(
    "koen",
    h(
        "Køn: alle, maend, kvinder (kommasepareret)",
        "Sex: alle (all), maend (men), kvinder (women); comma-separated",
    ),
)
ALDER = _param("alder", h("Aldersgruppe(r), fx 16-24 eller alle", "Age group(s), e.g. 16-24 or alle (all)"))
UDDANNELSE = _param(
    "uddannelse", h("Uddannelse(r), fx Grundskole eller alle", "Education(s), e.g. Grundskole or alle (all)")
)


def _path(name, description, type_=str):
    return OpenApiParameter(name, type_, OpenApiParameter.PATH, description=description)


SLUG = _path(
    "slug", h("Aftalens kortnavn, fx syddanmark-2024-2027", "The agreement's slug, e.g. syddanmark-2024-2027")
)
ERRORS = {
    304: OpenApiResponse(
        description=h(
            "Uændret siden If-None-Match/If-Modified-Since",
            "Not modified since If-None-Match/If-Modified-Since",
        )
    ),
    400: OpenApiResponse(S.ErrorSerializer, description=h("Ugyldig parameter", "Invalid parameter")),
    401: OpenApiResponse(S.ErrorSerializer, description=h("Ugyldig API-nøgle", "Invalid API key")),
    404: OpenApiResponse(
        S.ErrorSerializer, description=h("Findes ikke (eller ikke for dig)", "Not found (or not for you)")
    ),
    429: OpenApiResponse(
        S.ErrorSerializer,
        description=h("For mange forespørgsler; se Retry-After", "Too many requests; see Retry-After"),
    ),
}


def _responses_for(envelope):
    return {200: envelope, **ERRORS}


# Agreements and their measures.


@extend_schema_view(
    get=extend_schema(
        operation_id="agreement_list",
        summary="Aftaler / Agreements",
        description=h("Alle sundhedsaftaler, nyeste først", "Every health agreement, newest first"),
        parameters=[FORMAT, SIDE, ANTAL],
        responses=_responses_for(S.list_envelope(S.AgreementSerializer)),
        tags=["aftaler"],
    )
)
class AgreementList(ApiView):
    renderer_classes = [FastJSONRenderer, DanishCSVRenderer]

    def payload(self, request):
        page = _page(request, selectors.agreement_list())
        page["results"] = S.AgreementSerializer(page["results"], many=True, context={"request": request}).data
        return {"eksempeldata": False, **page}

    def csv_columns(self):
        return [
            ("aftale", lambda r: r["slug"]),
            ("titel", lambda r: r["title"]),
            ("type", lambda r: r["kind_label"]),
            ("ejer", lambda r: r["owner"]),
            ("område", lambda r: r["area"]),
            ("periode start", lambda r: r["period_start"]),
            ("periode slut", lambda r: r["period_end"]),
        ]


@extend_schema_view(
    get=extend_schema(
        operation_id="agreement_detail",
        parameters=[SLUG],
        summary="En aftale med hele træet / One agreement with its whole tree",
        description=h(
            "Visioner, fokusområder, målsætninger, opfølgninger og mål med deres ophav (bemærkning, udgangspunkt, citat)",
            "Visions, focus areas, objectives, measures and targets with their provenance (note, stated baseline, quote)",
        ),
        responses=_responses_for(S.object_envelope(S.AgreementDetailSerializer)),
        tags=["aftaler"],
    )
)
class AgreementDetail(ApiView):
    def payload(self, request, slug):
        agreement = selectors.agreement_get(slug)
        return {
            "eksempeldata": False,
            "result": S.AgreementDetailSerializer(agreement, context={"request": request}).data,
        }


@extend_schema_view(
    get=extend_schema(
        operation_id="measure_detail",
        parameters=[
            SLUG,
            _path(
                "path",
                h(
                    "Opfølgningens plads: <vision>.<målsætning>.<opfølgning>, fx 1.2.1",
                    "The measure's position: <vision>.<objective>.<measure>, e.g. 1.2.1",
                ),
            ),
        ],
        summary="En opfølgning / One measure",
        description=h(
            "Nøglen er <aftale>/<vision>.<målsætning>.<opfølgning>",
            "The key is <agreement>/<vision>.<objective>.<measure>",
        ),
        responses=_responses_for(S.object_envelope(S.MeasureDetailSerializer)),
        tags=["aftaler"],
    )
)
class MeasureDetail(ApiView):
    def payload(self, request, slug, path):
        measure = selectors.measure_by_key(slug, path)
        return {
            "eksempeldata": False,
            "result": S.MeasureDetailSerializer(measure, context={"request": request}).data,
        }


# Areas.


@extend_schema_view(
    get=extend_schema(
        operation_id="area_list",
        summary="Områder / Areas",
        description=h(
            "Landet, regioner, sundhedsklynger og kommuner med koder og daterede klyngemedlemskaber",
            "Country, regions, clusters and municipalities with codes and dated cluster memberships",
        ),
        parameters=[OMRAADE, OMRAADETYPE, REGION, FORMAT, SIDE, ANTAL],
        responses=_responses_for(S.list_envelope(S.AreaSerializer)),
        tags=["områder"],
    )
)
class AreaList(ApiView):
    renderer_classes = [FastJSONRenderer, DanishCSVRenderer]

    def payload(self, request):
        params = request.query_params
        condition = selectors.area_filter(
            omraade=params.get("omraade", ""),
            omraadetype=params.get("omraadetype", ""),
            region=params.get("region", ""),
        )
        page = _page(request, selectors.area_list(condition))
        page["results"] = S.AreaSerializer(page["results"], many=True).data
        return {"eksempeldata": False, **page}

    def csv_columns(self):
        return [
            ("kode", lambda r: r["code"]),
            ("type", lambda r: r["kind_label"]),
            ("navn", lambda r: r["name"]),
            ("ligger i", lambda r: r["parent"]),
            ("folketal", lambda r: r["population"]),
            ("folketal år", lambda r: r["population_year"]),
        ]


@extend_schema_view(
    get=extend_schema(
        operation_id="area_detail",
        parameters=[
            _path("code", h("Områdets kode, fx 461 eller 1083", "The area's code, e.g. 461 or 1083"))
        ],
        summary="Et område / One area",
        responses=_responses_for(S.object_envelope(S.AreaSerializer)),
        tags=["områder"],
    )
)
class AreaDetail(ApiView):
    def payload(self, request, code):
        return {"eksempeldata": False, "result": S.AreaSerializer(selectors.area_get(code)).data}


# Indicators and their values.


@extend_schema_view(
    get=extend_schema(
        operation_id="indicator_list",
        summary="Indikatorer / Indicators",
        description=h(
            "Indikatorkataloget med definitioner og datakilder",
            "The indicator catalogue with definitions and data sources",
        ),
        parameters=[FORMAT, SIDE, ANTAL],
        responses=_responses_for(S.list_envelope(S.IndicatorSerializer)),
        tags=["indikatorer"],
    )
)
class IndicatorList(ApiView):
    renderer_classes = [FastJSONRenderer, DanishCSVRenderer]

    def payload(self, request):
        page = _page(request, selectors.indicator_list())
        page["results"] = S.IndicatorSerializer(page["results"], many=True).data
        return {"eksempeldata": False, **page}

    def csv_columns(self):
        return [
            ("kode", lambda r: r["code"]),
            ("navn", lambda r: r["name"]),
            ("enhed", lambda r: r["unit_label"]),
            ("god retning", lambda r: r["polarity"]),
            ("definition", lambda r: r["definition"]),
            ("datakilde", lambda r: r["source"]["name"]),
        ]


@extend_schema_view(
    get=extend_schema(
        operation_id="indicator_detail",
        parameters=[_path("code", h("Indikatorens kode", "The indicator's code"))],
        summary="En indikator / One indicator",
        responses=_responses_for(S.object_envelope(S.IndicatorDetailSerializer)),
        tags=["indikatorer"],
    )
)
class IndicatorDetail(ApiView):
    def payload(self, request, code):
        return {
            "eksempeldata": False,
            "result": S.IndicatorDetailSerializer(
                indicator := selectors.indicator_get(code),
                context={"years": selectors.indicator_years(indicator)},
            ).data,
        }


OBSERVATION_PAGE, OBSERVATION_MAX = 1000, 10_000


@extend_schema_view(
    get=extend_schema(
        operation_id="observation_list",
        summary="Observationer / Observations",
        description=h(
            "Gemte værdier i indeksets faste rækkefølge (indikator, område, år, køn, alder, uddannelse); næste side "
            f"med ?efter= fra »next«. Op til {OBSERVATION_MAX:,} rækker pr. side. CSV'en er samme format som "
            "indikatorsidens download (og importen læser den).",
            "Stored values in the index's fixed order (indicator, area, year, sex, age, education); the next page "
            f"with ?efter= from 'next'. Up to {OBSERVATION_MAX:,} rows a page. The CSV is the indicator page's "
            "download format (which the importer reads).",
        ),
        parameters=[
            _param("indikator", h("Indikatorkode(r), kommasepareret", "Indicator code(s), comma-separated")),
            OMRAADE,
            OMRAADETYPE,
            REGION,
            _param("aar", h("År, kommasepareret, fx 2017,2021", "Year(s), comma-separated, e.g. 2017,2021")),
            _param(
                "fra_aar", h("Fra og med år", "From year (inclusive)"), type_=int, minimum=1900, maximum=2100
            ),
            _param(
                "til_aar", h("Til og med år", "To year (inclusive)"), type_=int, minimum=1900, maximum=2100
            ),
            KOEN,
            ALDER,
            UDDANNELSE,
            _param(
                "antal",
                h(
                    f"Rækker pr. side (1-{OBSERVATION_MAX}, standard {OBSERVATION_PAGE})",
                    f"Rows per page (1-{OBSERVATION_MAX}, default {OBSERVATION_PAGE})",
                ),
                type_=int,
                minimum=1,
                maximum=OBSERVATION_MAX,
            ),
            _param("efter", h("Markør fra forrige sides »next«", "Cursor from the previous page's 'next'")),
            FORMAT,
        ],
        responses=_responses_for(S.list_envelope(S.ObservationSerializer, paged=False, cursor=True)),
        tags=["indikatorer"],
    )
)
class ObservationList(ApiView):
    renderer_classes = [FastJSONRenderer, DanishCSVRenderer]

    def payload(self, request):
        chosen = selectors.observation_filter(request.query_params)
        size = _int_param(request, "antal", OBSERVATION_PAGE, 1, OBSERVATION_MAX)
        after = request.query_params.get("efter", "")
        rows = selectors.observation_rows(
            chosen, after=selectors.decode_cursor(after) if after else None, limit=size + 1
        )
        indicators, areas = selectors.codes_by_id(self.version.value)
        more = len(rows) > size
        rows = rows[:size]
        results = [
            {
                "indicator": indicators.get(indicator_id, ""),
                "area": areas.get(area_id, ""),
                "year": year,
                "period": period or None,
                "sex": sex,
                "age_group": age_group,
                "education": education,
                "value": value,
                "ci_low": low,
                "ci_high": high,
                "respondents": respondents,
                "suppressed": suppressed,
                "eksempeldata": sample,
            }
            for indicator_id, area_id, year, sex, age_group, education, period, value, low, high, respondents, suppressed, sample in rows
        ]
        url = request.build_absolute_uri()
        following = replace_query_param(url, "efter", selectors.encode_cursor(rows[-1])) if more else None
        return {
            "eksempeldata": any(r["eksempeldata"] for r in results),
            "next": following,
            "results": results,
        }

    def csv_table(self, results):
        """The indicator page's download (goals/downloads.py, observations_csv), column for column: the
        canonical file (indicators/fileformat.py) with its "eksempeldata" column."""
        yes, no = gettext("ja"), gettext("nej")
        rows = [
            [
                *fileformat.row(
                    r["indicator"],
                    r["area"],
                    r["year"],
                    r["period"] or "",
                    r["sex"],
                    r["age_group"],
                    r["education"],
                    r["value"],
                    r["ci_low"],
                    r["ci_high"],
                    r["respondents"],
                ),
                yes if r["eksempeldata"] else no,
            ]
            for r in results
        ]
        return [*fileformat.HEADER, fileformat.DESCRIPTIVE["sample"]], rows


# Stored statuses.


@extend_schema_view(
    get=extend_schema(
        operation_id="status_list",
        summary="Status og sammenligning / Status and comparison",
        description=h(
            "Hver opfølgnings status i hvert område, som den gælder i vurderingsåret (?aar=, standard i år), med "
            "forklaringen og sammenligningen, præcis som siderne viser den. Uden områdefilter: aftalens egne områder.",
            "Each measure's status in each area as in force in the evaluation year (?aar=, default this year), with "
            "the explanation and the comparison, exactly as the pages show it. Without an area filter: the agreement's "
            "own areas.",
        ),
        parameters=[
            _param("aftale", h("Aftalens kortnavn(e), kommasepareret", "Agreement slug(s), comma-separated")),
            _param(
                "opfoelgning",
                h(
                    "Opfølgningsnøgle(r), fx syddanmark-2024-2027/1.1.1",
                    "Measure key(s), e.g. syddanmark-2024-2027/1.1.1",
                ),
            ),
            OMRAADE,
            OMRAADETYPE,
            REGION,
            _param(
                "aar",
                h("Vurderingsår (standard: i år)", "Evaluation year (default: this year)"),
                type_=int,
                minimum=1900,
                maximum=2100,
            ),
            _param("koen", h("Køn (standard: opfølgningens eget)", "Sex (default: the measure's own)")),
            _param(
                "alder",
                h("Aldersgruppe (standard: opfølgningens egen)", "Age group (default: the measure's own)"),
            ),
            _param(
                "uddannelse",
                h("Uddannelse (standard: opfølgningens egen)", "Education (default: the measure's own)"),
            ),
            FORMAT,
            SIDE,
            ANTAL,
        ],
        responses=_responses_for(S.list_envelope(S.StatusSerializer)),
        tags=["status"],
    )
)
class StatusList(ApiView):
    renderer_classes = [FastJSONRenderer, DanishCSVRenderer]

    def payload(self, request):
        params = request.query_params
        _paging(request)  # a bad page is refused before the statuses are read
        if keys := selectors.split(params.get("opfoelgning")):
            measures = selectors.measures_by_keys(keys)
        else:
            measures = list(
                Measure.objects.select_related("objective__vision__agreement", "indicator").filter(
                    kind=Measure.Kind.INDICATOR
                )
            )
            if slugs := selectors.split(params.get("aftale")):
                known = {m.objective.vision.agreement.slug for m in measures}
                if unknown := [s for s in slugs if s not in known]:
                    raise selectors.BadFilter(
                        f"aftale: ukendt eller uden indikatorer / unknown {', '.join(unknown)}"
                    )
                measures = [m for m in measures if m.objective.vision.agreement.slug in slugs]
        condition = selectors.area_filter(
            omraade=params.get("omraade", ""),
            omraadetype=params.get("omraadetype", ""),
            region=params.get("region", ""),
        )
        areas = None if condition is None else list(selectors.area_list(condition))
        years = selectors.years(params.get("aar"))
        if len(years) > 1:
            raise selectors.BadFilter("aar: ét vurderingsår / one evaluation year")
        breakdown = {
            field: params.get(name) or ALL
            for field, name in (("sex", "koen"), ("age_group", "alder"), ("education", "uddannelse"))
        }
        year = years[0] if years else selectors.current_year()
        keys = selectors.status_keys(measures=measures, areas=areas, year=year, breakdown=breakdown)
        page = _page(request, keys)
        rows = selectors.status_rows(page["results"], year=year)
        page["results"] = S.StatusSerializer(rows, many=True).data
        return {"eksempeldata": any(r["eksempeldata"] for r in page["results"]), **page}

    def csv_columns(self):
        names = [
            ("opfølgning", "measure"),
            ("indikator", "indicator"),
            ("område", "area"),
            ("områdenavn", "area_name"),
            ("vurderingsår", "year"),
            ("status pr. dataår", "as_of_year"),
            ("køn", "sex"),
            ("alder", "age_group"),
            ("uddannelse", "education"),
            ("status", "status_label"),
            ("basisår", "baseline_year"),
            ("udgangsværdi", "baseline_value"),
            ("seneste år", "latest_year"),
            ("seneste værdi", "latest_value"),
            ("målværdi", "target_value"),
            ("målår", "target_year"),
            ("sammenligning", "benchmark_label"),
            ("sammenlignet med", "benchmark_area"),
            ("forklaring", "explanation"),
            ("eksempeldata", "eksempeldata"),
        ]
        return [(header, lambda r, key=key: r[key]) for header, key in names]


# The clusters' activity reports.


@extend_schema_view(
    get=extend_schema(
        operation_id="activity_report_list",
        summary="Aktivitetsrapporter / Activity reports",
        description=h(
            "Klyngernes godkendte aktivitetsrapporter; med en API-nøgle også de ikke godkendte, som nøglens bruger må se",
            "The clusters' approved activity reports; with an API key also the unapproved ones its user may see",
        ),
        parameters=[
            _param("aftale", h("Aftalens kortnavn", "Agreement slug")),
            _param("aar", h("Rapporteringsår, kommasepareret", "Reporting year(s), comma-separated")),
            _param("klynge", h("Klyngekode(r), kommasepareret", "Cluster code(s), comma-separated")),
            SIDE,
            ANTAL,
        ],
        responses=_responses_for(S.list_envelope(S.ActivityReportSerializer)),
        tags=["aktivitetsstatus"],
    )
)
class ActivityReportList(ApiView):
    user_specific = True

    def payload(self, request):
        params = request.query_params
        reports = selectors.activity_report_list(
            request.user,
            agreement=params.get("aftale", ""),
            year=selectors.years(params.get("aar")),
            cluster=selectors.split(params.get("klynge")),
        )
        page = _page(request, reports)
        page["results"] = S.ActivityReportSerializer(page["results"], many=True).data
        return {"eksempeldata": False, **page}


@extend_schema_view(
    get=extend_schema(
        operation_id="activity_report_detail",
        parameters=[
            SLUG,
            _path("year", h("Rapporteringsår", "Reporting year"), int),
            _path("cluster", h("Klyngens kode", "The cluster's code")),
            _path(
                "objective",
                h(
                    "Målsætningens plads: <vision>.<målsætning>",
                    "The objective's position: <vision>.<objective>",
                ),
            ),
        ],
        summary="En aktivitetsrapport / One activity report",
        responses=_responses_for(S.object_envelope(S.ActivityReportSerializer)),
        tags=["aktivitetsstatus"],
    )
)
class ActivityReportDetail(ApiView):
    user_specific = True

    def payload(self, request, slug, year, cluster, objective):
        report = selectors.activity_report_get(
            request.user, slug=slug, year=year, cluster=cluster, objective=objective
        )
        return {"eksempeldata": False, "result": S.ActivityReportSerializer(report).data}


# The committee's status reports (reports app).


@extend_schema_view(
    get=extend_schema(
        operation_id="status_report_list",
        summary="Statusrapporter / Status reports",
        description=h(
            "Offentliggjorte statusrapporter (ikke de erstattede udgaver); med en API-nøgle, hvis bruger må se "
            "dem, også kladderne",
            "Published status reports (not the superseded versions); with an API key whose user may see them, "
            "the drafts too",
        ),
        parameters=[
            _param("aftale", h("Aftalens kortnavn(e), kommasepareret", "Agreement slug(s), comma-separated")),
            _param("aar", h("Vurderingsår, kommasepareret", "Evaluation year(s), comma-separated")),
            _param("omraade", h("Områdekode(r), kommasepareret", "Area code(s), comma-separated")),
            _param("type", h("Type(r): annual, midway, final", "Kind(s): annual, midway, final")),
            SIDE,
            ANTAL,
        ],
        responses=_responses_for(S.list_envelope(S.StatusReportSerializer)),
        tags=["statusrapporter"],
    )
)
class StatusReportList(ApiView):
    user_specific = True

    def payload(self, request):
        params = request.query_params
        reports = selectors.status_report_list(
            request.user,
            agreement=selectors.split(params.get("aftale")),
            years=selectors.years(params.get("aar")),
            areas=selectors.split(params.get("omraade")),
            kinds=selectors.split(params.get("type")),
        )
        page = _page(request, reports)
        page["results"] = S.StatusReportSerializer(
            page["results"], many=True, context={"request": request}
        ).data
        return {"eksempeldata": False, **page}

    def extra_version(self):
        return selectors.status_report_version()


@extend_schema_view(
    get=extend_schema(
        operation_id="status_report_detail",
        summary="En statusrapport med sit frosne indhold / One status report with its frozen content",
        parameters=[
            SLUG,
            _path("year", h("Vurderingsår", "Evaluation year"), int),
            _path("area", h("Områdets kode", "The area's code")),
            _path("kind", h("Type: annual, midway, final", "Kind: annual, midway, final")),
            _param(
                "kladde",
                h(
                    "1: kladden i stedet for den offentliggjorte (kræver en API-nøgle, der må se den)",
                    "1: the draft instead of the published one (needs an API key allowed to see it)",
                ),
                enum=["1"],
            ),
        ],
        responses=_responses_for(S.object_envelope(S.StatusReportDetailSerializer)),
        tags=["statusrapporter"],
    )
)
class StatusReportDetail(ApiView):
    user_specific = True

    def payload(self, request, slug, year, area, kind):
        report = selectors.status_report_get(
            request.user,
            slug=slug,
            year=year,
            area=area,
            kind=kind,
            draft=request.query_params.get("kladde") == "1",
        )
        data = S.StatusReportDetailSerializer(report, context={"request": request}).data
        return {"eksempeldata": bool(report.content_json.get("has_sample")), "result": data}

    def extra_version(self):
        return selectors.status_report_version()
