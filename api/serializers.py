"""What the API answers, field by field, each described in Danish and English ("Dansk / English"): the
OpenAPI schema (/api/schema/) is generated from these classes, so the description is the contract.

Every answer is an envelope: `self` (the URL that reproduces it), `data_version` (the data it rests on),
`eksempeldata` (whether generated sample values are among them) and the rows in `results` (lists) or the
object in `result` (one object). Observations are built as plain dicts by the view (10,000 rows per page);
`ObservationSerializer` only describes them.
"""

from functools import cache

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clusters.models import Area, ClusterMembership
from goals.models import ActivityReport, Agreement, AgreementSection, Measure, MeasureStatus, Target
from indicators.models import Indicator

from . import selectors


def h(danish: str, english: str) -> str:
    return f"{danish} / {english}"


SEX_HELP = h("Køn: »alle«, »maend« eller »kvinder«", "Sex: 'alle' (all), 'maend' (men) or 'kvinder' (women)")
AGE_HELP = h(
    "Aldersgruppe, fx »16-24«; »alle« for alle aldre", "Age group, e.g. '16-24'; 'alle' for all ages"
)
EDUCATION_HELP = h("Uddannelse; »alle« for alle", "Education; 'alle' for all")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=h("Hvad der gik galt", "What went wrong"))


def _envelope_fields():
    return {
        "self": serializers.URLField(
            help_text=h("URL'en, der giver præcis dette svar", "The URL that reproduces this answer")
        ),
        "data_version": serializers.CharField(
            help_text=h(
                "Den dataversion, svaret bygger på (som X-Data-Version og ETag)",
                "The data version this answer rests on (as X-Data-Version and the ETag)",
            )
        ),
        "eksempeldata": serializers.BooleanField(
            help_text=h(
                "Sand, når genererede eksempeldata indgår (ikke officielle tal)",
                "True when generated sample data (not official figures) are included",
            )
        ),
    }


@cache
def list_envelope(item: type[serializers.Serializer], *, paged: bool = True, cursor: bool = False):
    """The envelope of a list of `item`s, as a serializer class for the schema."""
    fields = _envelope_fields()
    if paged:
        fields["count"] = serializers.IntegerField(help_text=h("Antal rækker i alt", "Number of rows in all"))
        fields["previous"] = serializers.URLField(
            allow_null=True, help_text=h("Forrige side (eller null)", "Previous page (or null)")
        )
    fields["next"] = serializers.URLField(
        allow_null=True,
        help_text=h(
            "Næste side (eller null, når der ikke er flere)", "Next page (or null when there is none)"
        ),
    )
    fields["results"] = item(many=True, help_text=h("Rækkerne", "The rows"))
    name = item.__name__.removesuffix("Serializer") + ("CursorList" if cursor else "List")
    return type(name, (serializers.Serializer,), fields)


@cache
def object_envelope(item: type[serializers.Serializer]):
    fields = _envelope_fields()
    fields["result"] = item(help_text=h("Objektet", "The object"))
    name = item.__name__.removesuffix("Serializer") + "Envelope"
    return type(name, (serializers.Serializer,), fields)


# Areas.


class MembershipSerializer(serializers.Serializer):
    cluster = serializers.CharField(
        source="cluster.code", help_text=h("Sundhedsklyngens kode", "The cluster's code")
    )
    municipality = serializers.CharField(
        source="municipality.code", help_text=h("Kommunekoden", "The municipality's code (kommunekode)")
    )
    kind = serializers.ChoiceField(
        choices=ClusterMembership.Kind.choices,
        help_text=h(
            "»full«: fuldt medlem; »political«: kun på politisk niveau",
            "'full': full member; 'political': at the political level only",
        ),
    )
    valid_from = serializers.DateField(help_text=h("Gyldig fra", "Valid from"))
    valid_to = serializers.DateField(
        allow_null=True, help_text=h("Gyldig til (null: gælder stadig)", "Valid to (null: still valid)")
    )


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=h(
            "Områdets kode: Danmarks Statistiks kode (»000«, regionskode, kommunekode) eller klyngens kortnavn",
            "The area's code: Statistics Denmark's code ('000', region or municipality code) or the cluster's slug",
        )
    )
    kind = serializers.ChoiceField(
        choices=Area.Kind.choices,
        help_text=h(
            "Områdetype: country, region, cluster (sundhedsklynge), municipality (kommune)",
            "Kind of area: country, region, cluster (health cluster), municipality",
        ),
    )
    kind_label = serializers.CharField(
        source="get_kind_display", help_text=h("Områdetypens navn", "The kind's name")
    )
    name = serializers.CharField(help_text=h("Navn", "Name"))
    parent = serializers.CharField(
        source="parent.code",
        allow_null=True,
        default=None,
        help_text=h(
            "Koden på det område, det ligger i (null for landet)",
            "The code of the area it lies in (null for the country)",
        ),
    )
    population = serializers.IntegerField(allow_null=True, help_text=h("Folketal", "Population"))
    population_year = serializers.IntegerField(
        allow_null=True,
        help_text=h("Folketal pr. 1. januar i dette år", "Population on 1 January of this year"),
    )
    memberships = serializers.SerializerMethodField(
        help_text=h(
            "Daterede klyngemedlemskaber: en kommunes klynger eller en klynges kommuner",
            "Dated cluster memberships: a municipality's clusters or a cluster's municipalities",
        )
    )

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, area):
        rows = list(area.memberships.all()) + list(area.cluster_memberships.all())
        return MembershipSerializer(rows, many=True).data


# Indicators.


class DataSourceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=h("Datakildens kode", "The data source's code"))
    name = serializers.CharField(help_text=h("Navn", "Name"))
    publisher = serializers.CharField(help_text=h("Udgiver", "Publisher"))
    description = serializers.CharField(help_text=h("Beskrivelse", "Description"))
    url = serializers.CharField(help_text=h("Link til kilden", "Link to the source"))
    rounds = serializers.ListField(
        child=serializers.IntegerField(), help_text=h("Kendte runder (år)", "Known rounds (years)")
    )
    next_round_year = serializers.IntegerField(
        allow_null=True, help_text=h("Næste runde forventes (år)", "Next round expected (year)")
    )


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=h("Indikatorens kode", "The indicator's code"))
    name = serializers.CharField(help_text=h("Navn", "Name"))
    unit = serializers.ChoiceField(choices=Indicator.Unit.choices, help_text=h("Enhed", "Unit"))
    unit_label = serializers.CharField(
        source="get_unit_display", help_text=h("Enhedens navn", "The unit's name")
    )
    polarity = serializers.ChoiceField(
        choices=Indicator.Polarity.choices,
        help_text=h(
            "God retning: 1 højere er bedre, -1 lavere er bedre",
            "Good direction: 1 higher is better, -1 lower is better",
        ),
    )
    definition = serializers.CharField(help_text=h("Definition", "Definition"))
    comparable_from = serializers.IntegerField(
        allow_null=True,
        help_text=h(
            "Første år med den nuværende definition; ældre værdier sammenlignes ikke",
            "First year of the current definition; older values are not compared",
        ),
    )
    notes = serializers.CharField(help_text=h("Bemærkninger", "Notes"))
    source = DataSourceSerializer(help_text=h("Datakilden", "The data source"))


class IndicatorDetailSerializer(IndicatorSerializer):
    """An indicator with `context["years"]`, the years with stored values."""

    years = serializers.SerializerMethodField(help_text=h("År med gemte værdier", "Years with stored values"))

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_years(self, indicator) -> list[int]:
        return self.context["years"]


class ObservationSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text=h("Indikatorens kode", "The indicator's code"))
    area = serializers.CharField(
        help_text=h("Områdets kode (kommunekode, regionskode, ...)", "The area's code")
    )
    year = serializers.IntegerField(help_text=h("År (periodens sidste år)", "Year (the period's last year)"))
    period = serializers.CharField(
        allow_null=True,
        help_text=h(
            "Den offentliggjorte periode, fx »2019-2021« (null: året)",
            "The published period, e.g. '2019-2021' (null: the year)",
        ),
    )
    sex = serializers.CharField(help_text=SEX_HELP)
    age_group = serializers.CharField(help_text=AGE_HELP)
    education = serializers.CharField(help_text=EDUCATION_HELP)
    value = serializers.FloatField(
        allow_null=True, help_text=h("Værdien (null: ikke offentliggjort)", "The value (null: not published)")
    )
    ci_low = serializers.FloatField(
        allow_null=True, help_text=h("Nedre grænse (95 % CI)", "Lower bound (95 % CI)")
    )
    ci_high = serializers.FloatField(
        allow_null=True, help_text=h("Øvre grænse (95 % CI)", "Upper bound (95 % CI)")
    )
    respondents = serializers.IntegerField(
        allow_null=True, help_text=h("Antal svarpersoner", "Number of respondents")
    )
    suppressed = serializers.BooleanField(
        help_text=h("Ikke offentliggjort (diskretioneret)", "Not published (suppressed)")
    )
    eksempeldata = serializers.BooleanField(
        help_text=h(
            "Genereret eksempeldata, ikke et officielt tal", "Generated sample data, not an official figure"
        )
    )


# Agreements and their tree.


class TargetSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Target.Kind.choices,
        help_text=h(
            "absolute: et niveau; relative: en relativ ændring; points: ændring i procentpoint; direction: kun retning",
            "absolute: a level; relative: a relative change; points: a change in percentage points; direction: direction only",
        ),
    )
    kind_label = serializers.CharField(
        source="get_kind_display", help_text=h("Måltypens navn", "The target kind's name")
    )
    value = serializers.FloatField(
        allow_null=True,
        help_text=h(
            "Målet (90 for 90 %; -0,15 for et fald på 15 %; -6 procentpoint)",
            "The target (90 for 90 %; -0.15 for a 15 % fall; -6 points)",
        ),
    )
    baseline_year = serializers.IntegerField(allow_null=True, help_text=h("Basisår", "Baseline year"))
    stated_baseline = serializers.FloatField(
        allow_null=True,
        help_text=h(
            "Udgangspunktet som aftaleteksten angiver det",
            "The baseline figure as the agreement text states it",
        ),
    )
    target_year = serializers.IntegerField(allow_null=True, help_text=h("Målår", "Target year"))
    note = serializers.CharField(
        help_text=h(
            "Bemærkning: hvor målet kommer fra, og hvad der er antaget",
            "Note: where the target comes from and what is assumed",
        )
    )


class MeasureSerializer(serializers.Serializer):
    key = serializers.SerializerMethodField(
        help_text=h(
            "Opfølgningens nøgle: <aftale>/<vision>.<målsætning>.<opfølgning> (numrene i aftalens rækkefølge)",
            "The measure's key: <agreement>/<vision>.<objective>.<measure> (positions in the agreement)",
        )
    )
    order = serializers.IntegerField(
        help_text=h("Rækkefølge under målsætningen", "Position under the objective")
    )
    kind = serializers.ChoiceField(
        choices=Measure.Kind.choices,
        help_text=h(
            "indicator: en indikator; activity_status: klyngernes aktivitetsstatus",
            "indicator: an indicator; activity_status: the clusters' activity status",
        ),
    )
    follow_up_text = serializers.CharField(
        help_text=h("Opfølgningen, som aftalen formulerer den", "The follow-up as the agreement words it")
    )
    follow_up_is_quote = serializers.BooleanField(
        help_text=h(
            "Sand: citeret fra aftaleteksten; falsk: kendt andetsteds fra (se målets bemærkning)",
            "True: quoted from the agreement text; false: known from elsewhere (see the target's note)",
        )
    )
    indicator = serializers.CharField(
        source="indicator.code",
        allow_null=True,
        default=None,
        help_text=h(
            "Indikatorens kode (null for aktivitetsstatus)", "The indicator's code (null for activity status)"
        ),
    )
    polarity = serializers.IntegerField(
        source="effective_polarity",
        allow_null=True,
        help_text=h(
            "God retning: 1 højere, -1 lavere er bedre", "Good direction: 1 higher, -1 lower is better"
        ),
    )
    sex = serializers.CharField(help_text=SEX_HELP)
    age_group = serializers.CharField(help_text=AGE_HELP)
    education = serializers.CharField(help_text=EDUCATION_HELP)
    target = serializers.SerializerMethodField(
        help_text=h("Målet (null: intet mål)", "The target (null: none)")
    )
    page_url = serializers.SerializerMethodField(help_text=h("Opfølgningens side", "The measure's page"))

    def get_key(self, measure) -> str:
        return selectors.measure_key(measure)

    @extend_schema_field(TargetSerializer(allow_null=True))
    def get_target(self, measure):
        try:
            return TargetSerializer(measure.target).data
        except Target.DoesNotExist:
            return None

    def get_page_url(self, measure) -> str:
        request = self.context.get("request")
        path = f"/opfoelgning/{measure.pk}/"
        return request.build_absolute_uri(path) if request else path


class ObjectiveSerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text=h("Rækkefølge under visionen", "Position under the vision"))
    text = serializers.CharField(
        help_text=h("Målsætningen, som aftalen formulerer den", "The objective as the agreement words it")
    )
    focus_area = serializers.IntegerField(
        source="focus_area.order",
        allow_null=True,
        default=None,
        help_text=h(
            "Fokusområdets nummer under visionen (null: intet)",
            "The focus area's position under the vision (null: none)",
        ),
    )
    national_goals = serializers.SerializerMethodField(
        help_text=h("De nationale mål, den bidrager til", "The national goals it serves")
    )
    measures = MeasureSerializer(
        many=True, source="measures.all", help_text=h("Opfølgningerne", "The measures (follow-ups)")
    )

    def get_national_goals(self, objective) -> list[int]:
        return [goal.number for goal in objective.national_goals.all()]


class FocusAreaSerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text=h("Nummer under visionen", "Position under the vision"))
    title = serializers.CharField(help_text=h("Fokusområde", "Focus area"))
    text = serializers.CharField(help_text=h("Beskrivelse", "Description"))


class VisionSerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text=h("Nummer i aftalen", "Position in the agreement"))
    title = serializers.CharField(help_text=h("Visionen", "The vision"))
    text = serializers.CharField(help_text=h("Beskrivelse", "Description"))
    is_vision = serializers.BooleanField(
        help_text=h(
            "Falsk for en overskrift, der ikke er en vision", "False for a heading that is not a vision"
        )
    )
    focus_areas = FocusAreaSerializer(
        many=True, source="focus_areas.all", help_text=h("Fokusområder", "Focus areas")
    )
    objectives = ObjectiveSerializer(
        many=True, source="objectives.all", help_text=h("Målsætninger", "Objectives")
    )


class SectionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=AgreementSection.Kind.choices, help_text=h("Teksttype", "Kind of text")
    )
    order = serializers.IntegerField(help_text=h("Rækkefølge", "Order"))
    title = serializers.CharField(help_text=h("Titel", "Title"))
    text = serializers.CharField(help_text=h("Tekst", "Text"))


class NationalGoalSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text=h("Nummer (1-8)", "Number (1-8)"))
    title = serializers.CharField(help_text=h("Titel", "Title"))


class AgreementSerializer(serializers.Serializer):
    slug = serializers.CharField(
        help_text=h("Aftalens kortnavn (nøglen i URL'er)", "The agreement's short name (its key in URLs)")
    )
    title = serializers.CharField(help_text=h("Titel", "Title"))
    kind = serializers.ChoiceField(choices=Agreement.Kind.choices, help_text=h("Type", "Kind"))
    kind_label = serializers.CharField(
        source="get_kind_display", help_text=h("Typens navn", "The kind's name")
    )
    owner = serializers.CharField(help_text=h("Ejer", "Owner"))
    parties = serializers.CharField(help_text=h("Parter", "Parties"))
    area = serializers.CharField(
        source="area.code", help_text=h("Aftalens område (kode)", "The agreement's area (code)")
    )
    period_start = serializers.DateField(help_text=h("Periodens start", "Start of the period"))
    period_end = serializers.DateField(help_text=h("Periodens slutning", "End of the period"))
    page_url = serializers.SerializerMethodField(help_text=h("Aftalens side", "The agreement's page"))

    def get_page_url(self, agreement) -> str:
        request = self.context.get("request")
        path = agreement.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class AgreementDetailSerializer(AgreementSerializer):
    overall_vision = serializers.CharField(help_text=h("Overordnet vision", "Overall vision"))
    summary = serializers.CharField(help_text=h("Resumé", "Summary"))
    source_file = serializers.CharField(help_text=h("Kildetekst", "Source text"))
    national_goals = NationalGoalSerializer(
        many=True, source="national_goals.all", help_text=h("Nationale mål", "National goals")
    )
    sections = SectionSerializer(
        many=True, source="sections.all", help_text=h("Øvrige tekster", "Other texts")
    )
    visions = VisionSerializer(
        many=True, source="visions.all", help_text=h("Visioner med hele træet", "Visions with the whole tree")
    )


class MeasureDetailSerializer(MeasureSerializer):
    agreement = serializers.CharField(
        source="objective.vision.agreement.slug", help_text=h("Aftalens kortnavn", "The agreement's slug")
    )
    objective = serializers.CharField(source="objective.text", help_text=h("Målsætningen", "The objective"))
    vision = serializers.CharField(source="objective.vision.title", help_text=h("Visionen", "The vision"))


# Stored statuses.


class StatusSerializer(serializers.Serializer):
    measure = serializers.SerializerMethodField(help_text=h("Opfølgningens nøgle", "The measure's key"))
    indicator = serializers.CharField(
        source="measure.indicator.code", help_text=h("Indikatorens kode", "The indicator's code")
    )
    area = serializers.CharField(source="area.code", help_text=h("Områdets kode", "The area's code"))
    area_name = serializers.CharField(source="area.name", help_text=h("Områdets navn", "The area's name"))
    year = serializers.IntegerField(
        source="year_asked",
        help_text=h(
            "Vurderingsåret: status, som den gælder i dette år",
            "Evaluation year: the status in force in this year",
        ),
    )
    as_of_year = serializers.IntegerField(
        help_text=h(
            "Det seneste dataår, status bygger på (0: ingen værdi efter basisåret)",
            "The latest data year it rests on (0: no value after the baseline)",
        )
    )
    sex = serializers.CharField(help_text=SEX_HELP)
    age_group = serializers.CharField(help_text=AGE_HELP)
    education = serializers.CharField(help_text=EDUCATION_HELP)
    status = serializers.ChoiceField(
        choices=MeasureStatus.Status.choices,
        help_text=h("Status (metodens kode)", "Status (the method's code)"),
    )
    status_label = serializers.CharField(
        source="get_status_display", help_text=h("Status i ord", "Status in words")
    )
    flags = serializers.ListField(
        child=serializers.CharField(),
        help_text=h("Markeringer (uncertain, estimated)", "Flags (uncertain, estimated)"),
    )
    baseline_year = serializers.IntegerField(allow_null=True, help_text=h("Basisår", "Baseline year"))
    baseline_value = serializers.FloatField(allow_null=True, help_text=h("Udgangsværdi", "Baseline value"))
    latest_year = serializers.IntegerField(allow_null=True, help_text=h("Seneste år", "Latest year"))
    latest_value = serializers.FloatField(allow_null=True, help_text=h("Seneste værdi", "Latest value"))
    target_value = serializers.FloatField(allow_null=True, help_text=h("Målværdi", "Target value"))
    target_year = serializers.IntegerField(allow_null=True, help_text=h("Målår", "Target year"))
    delta = serializers.FloatField(
        allow_null=True, help_text=h("Ændring siden basisåret", "Change since the baseline")
    )
    z = serializers.FloatField(allow_null=True, help_text=h("z-værdi for ændringen", "z value of the change"))
    share_achieved = serializers.FloatField(
        allow_null=True,
        help_text=h("Andel af den ønskede ændring nået", "Share of the desired change achieved"),
    )
    share_time_elapsed = serializers.FloatField(
        allow_null=True, help_text=h("Andel af tiden gået", "Share of the time elapsed")
    )
    explanation = serializers.CharField(
        help_text=h("Forklaringen, som siderne viser den", "The explanation, as the pages show it")
    )
    benchmark = serializers.CharField(
        help_text=h(
            "Sammenligning: better, worse, similar, not_compared (tom: ingen)",
            "Comparison: better, worse, similar, not_compared (empty: none)",
        )
    )
    benchmark_label = serializers.CharField(
        source="get_benchmark_display", help_text=h("Sammenligningen i ord", "The comparison in words")
    )
    benchmark_area = serializers.CharField(
        source="benchmark_area.code",
        allow_null=True,
        default=None,
        help_text=h("Sammenlignet med (kode)", "Compared with (code)"),
    )
    computed_at = serializers.DateTimeField(help_text=h("Beregnet", "Computed at"))
    eksempeldata = serializers.BooleanField(
        source="is_sample",
        help_text=h(
            "Den seneste værdi er genererede eksempeldata", "The latest value is generated sample data"
        ),
    )

    def get_measure(self, row) -> str:
        return selectors.measure_key(row.measure)


# Activity reports.


class ActivitySerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text=h("Rækkefølge", "Order"))
    title = serializers.CharField(help_text=h("Titel", "Title"))
    description = serializers.CharField(help_text=h("Beskrivelse", "Description"))
    status = serializers.CharField(help_text=h("Status", "Status"))
    status_label = serializers.CharField(
        source="get_status_display", help_text=h("Status i ord", "Status in words")
    )
    partners = serializers.ListField(child=serializers.CharField(), help_text=h("Parter", "Partners"))
    link = serializers.CharField(help_text=h("Link", "Link"))


class ActivityReportSerializer(serializers.Serializer):
    key = serializers.SerializerMethodField(
        help_text=h(
            "Rapportens nøgle: <aftale>/<år>/<klynge>/<vision>.<målsætning>",
            "The report's key: <agreement>/<year>/<cluster>/<vision>.<objective>",
        )
    )
    agreement = serializers.CharField(
        source="round.agreement.slug", help_text=h("Aftalens kortnavn", "The agreement's slug")
    )
    year = serializers.IntegerField(source="round.year", help_text=h("Rapporteringsår", "Reporting year"))
    cluster = serializers.CharField(
        source="cluster.code", help_text=h("Sundhedsklyngens kode", "The health cluster's code")
    )
    objective = serializers.CharField(source="objective.text", help_text=h("Målsætningen", "The objective"))
    status = serializers.ChoiceField(
        choices=ActivityReport.Status.choices,
        help_text=h(
            "approved: offentliggjort; de øvrige kun med en API-nøgle, der må se dem",
            "approved: published; others only with a key allowed to see them",
        ),
    )
    status_label = serializers.CharField(
        source="get_status_display", help_text=h("Status i ord", "Status in words")
    )
    assessment = serializers.CharField(help_text=h("Samlet vurdering", "Overall assessment"))
    narrative = serializers.CharField(help_text=h("Beskrivelse af status", "Description of the status"))
    approved_at = serializers.DateTimeField(allow_null=True, help_text=h("Godkendt", "Approved at"))
    activities = ActivitySerializer(
        many=True, source="activities.all", help_text=h("Aktiviteterne", "The activities")
    )

    def get_key(self, report) -> str:
        objective = report.objective
        return f"{report.round.agreement.slug}/{report.round.year}/{report.cluster.code}/{objective.vision.order}.{objective.order}"


# The committee's status reports.


class StatusReportSerializer(serializers.Serializer):
    key = serializers.SerializerMethodField(
        help_text=h(
            "Rapportens nøgle: <aftale>/<år>/<område>/<type>",
            "The report's key: <agreement>/<year>/<area>/<kind>",
        )
    )
    agreement = serializers.CharField(
        source="agreement.slug", help_text=h("Aftalens kortnavn", "The agreement's slug")
    )
    year = serializers.IntegerField(help_text=h("Vurderingsår", "Evaluation year"))
    area = serializers.CharField(source="area.code", help_text=h("Områdets kode", "The area's code"))
    area_name = serializers.CharField(source="area.name", help_text=h("Områdets navn", "The area's name"))
    kind = serializers.CharField(help_text=h("Type: annual, midway, final", "Kind: annual, midway, final"))
    kind_label = serializers.CharField(
        source="get_kind_display", help_text=h("Typens navn", "The kind's name")
    )
    status = serializers.CharField(
        help_text=h(
            "published: offentliggjort; draft: kladde (kun med en API-nøgle, der må se den)",
            "published; draft (only with an API key allowed to see it)",
        )
    )
    status_label = serializers.CharField(
        source="get_status_display", help_text=h("Status i ord", "Status in words")
    )
    published_at = serializers.DateTimeField(
        allow_null=True, help_text=h("Offentliggjort (null: kladde)", "Published at (null: a draft)")
    )
    content_sha256 = serializers.CharField(
        help_text=h(
            "SHA-256 af det frosne indhold (tom for en kladde)",
            "SHA-256 of the frozen content (empty for a draft)",
        )
    )
    page_url = serializers.SerializerMethodField(help_text=h("Rapportens side", "The report's page"))

    def get_key(self, report) -> str:
        return f"{report.agreement.slug}/{report.year}/{report.area.code}/{report.kind}"

    def get_page_url(self, report) -> str:
        request = self.context.get("request")
        path = report.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class StatusReportDetailSerializer(StatusReportSerializer):
    content = serializers.JSONField(
        source="content_json",
        help_text=h(
            "Rapportens indhold: for en offentliggjort rapport det frosne indhold, som det blev offentliggjort "
            "(samme som /statusrapporter/<id>/indhold.json); for en kladde indholdet efter dagens data",
            "The report's content: for a published report the frozen content as published (as "
            "/statusrapporter/<id>/indhold.json); for a draft the content from today's data",
        ),
    )
