"""The national levels, sex and age effects and social gradient of each catalogue indicator that the sample-data
generator (`generator.py`) builds its values around: plausible shapes, not official figures."""

SURVEY_ROUNDS = (2010, 2013, 2017, 2021, 2025)
SEXES = ("maend", "kvinder")
AGE_GROUPS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")

# National level per round, sex effects (maend, kvinder) and age effects (AGE_GROUPS order) on the
# link scale, the age groups the indicator is about (its total covers only those), the strength of
# the social gradient (positive: worse with less education) and national anchors for single cells.
PROFILES: dict[str, dict] = {
    "dagligrygning": {
        "levels": {2010: 20.5, 2013: 18.5, 2017: 17.0, 2021: 15.5, 2025: 13.5},
        "sex": (0.08, -0.08),
        "age": (-0.15, 0.1, 0.0, 0.2, 0.25, -0.05, -0.6),
        "gradient": 0.7,
    },
    "oevrige-tobak-nikotin": {
        "levels": {2010: 2.5, 2013: 3.0, 2017: 4.5, 2021: 7.5, 2025: 10.0},
        "sex": (0.45, -0.45),
        "age": (1.7, 1.0, 0.4, -0.2, -0.8, -1.5, -2.3),
        "gradient": 0.2,
    },
    "svaer-overvaegt": {
        "levels": {2010: 13.4, 2013: 15.0, 2017: 16.8, 2021: 18.5, 2025: 19.8},
        "sex": (0.02, -0.02),
        "age": (-0.9, -0.25, 0.1, 0.25, 0.35, 0.3, -0.15),
        "gradient": 0.45,
    },
    "fysisk-aktivitet": {
        "levels": {2010: 57.5, 2013: 56.5, 2017: 55.5, 2021: 54.5, 2025: 55.0},
        "sex": (0.05, -0.05),
        "age": (0.45, 0.1, -0.15, -0.1, 0.0, 0.15, -0.6),
        "gradient": 0.3,
    },
    "hoejt-alkoholforbrug": {
        "levels": {2010: 17.0, 2013: 15.5, 2017: 13.8, 2021: 11.5, 2025: 10.8},
        "sex": (0.45, -0.45),
        "age": (0.5, -0.2, -0.45, -0.1, 0.25, 0.35, -0.2),
        "gradient": -0.1,
    },
    "daarligt-mentalt-helbred": {
        "levels": {2010: 10.0, 2013: 11.5, 2017: 13.2, 2021: 15.5, 2025: 15.8},
        "sex": (-0.35, 0.35),
        "age": (0.3, 0.2, 0.0, -0.1, -0.25, -0.5, -0.15),
        "gradient": 0.3,
        # Sundhedsaftalen 2024-2027: among 16-24-year-olds, women 16 % -> 35 %, men 8 % -> 20 % (2010-2021).
        "anchors": {
            ("kvinder", "16-24"): {2010: 16.0, 2013: 19.5, 2017: 23.5, 2021: 35.0, 2025: 34.0},
            ("maend", "16-24"): {2010: 8.0, 2013: 9.5, 2017: 11.5, 2021: 20.0, 2025: 19.5},
        },
    },
    "selvvurderet-helbred-godt": {
        "levels": {2010: 85.5, 2013: 85.0, 2017: 84.0, 2021: 83.5, 2025: 83.0},
        "sex": (0.05, -0.05),
        "age": (0.7, 0.5, 0.3, 0.0, -0.25, -0.35, -0.8),
        "gradient": 0.6,
    },
    "boern-unges-trivsel": {
        "levels": {2010: 88.0, 2013: 88.0, 2017: 87.0, 2021: 85.5, 2025: 85.0},
        "sex": (0.15, -0.15),
        "age": (0.0, -0.1, -0.1, -0.1, -0.1, -0.1, -0.1),
        "scope": ("16-24",),
        "gradient": 0.3,
    },
    "fastholdelse-arbejdsmarked-somatisk": {
        "levels": {2010: 76.0, 2013: 77.0, 2017: 78.0, 2021: 79.0, 2025: 80.0},
        "sex": (0.05, -0.05),
        "age": (0.1, 0.3, 0.3, 0.15, -0.35, -1.5, -2.5),
        "scope": AGE_GROUPS[:5],
        "gradient": 0.4,
    },
    "tilknytning-arbejdsmarked-somatisk": {
        "levels": {2010: 80.0, 2013: 80.5, 2017: 81.5, 2021: 82.0, 2025: 82.5},
        "sex": (0.05, -0.05),
        "age": (0.0, 0.3, 0.35, 0.2, -0.4, -1.6, -2.6),
        "scope": AGE_GROUPS[:5],
        "gradient": 0.4,
    },
    "tilknytning-arbejdsmarked-psykisk": {
        "levels": {2010: 45.0, 2013: 46.5, 2017: 48.0, 2021: 49.5, 2025: 50.5},
        "sex": (0.0, 0.0),
        "age": (-0.2, 0.15, 0.2, 0.1, -0.3, -1.5, -2.5),
        "scope": AGE_GROUPS[:5],
        "gradient": 0.4,
    },
    "unge-psykiske-lidelser-ungdomsuddannelse": {
        "levels": {2010: 48.0, 2013: 50.0, 2017: 52.0, 2021: 54.0, 2025: 55.0},
        "sex": (-0.2, 0.2),
        "age": (-0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1),
        "scope": AGE_GROUPS[:2],
        "gradient": 0.4,
    },
    "forskel-middellevetid-psykisk": {
        "levels": {2010: 17.5, 2013: 16.8, 2017: 15.5, 2021: 14.5, 2025: 14.0},
        "sex": (0.08, -0.08),
        "age": (0.05, 0.05, 0.03, 0.0, -0.03, -0.06, -0.1),
        "gradient": 0.05,
    },
    "behov-for-behandling": {
        "levels": {2010: 315.0, 2013: 325.0, 2017: 338.0, 2021: 348.0, 2025: 352.0},
        "sex": (-0.08, 0.08),
        "age": (-0.7, -0.55, -0.4, -0.15, 0.1, 0.35, 0.6),
        "gradient": 0.1,
    },
    "kram-mental-uhensigtsmaessig-0-29": {
        "levels": {2010: 38.0, 2013: 40.0, 2017: 42.5, 2021: 46.0, 2025: 45.0},
        "sex": (0.1, -0.1),
        "age": (0.1, -0.1, -0.2, -0.2, -0.3, -0.4, -0.5),
        "scope": AGE_GROUPS[:2],
        "gradient": 0.4,
    },
    "kronisk-syge-uden-sygehuskontakt": {
        "levels": {2010: 70.0, 2013: 72.0, 2017: 74.0, 2021: 75.5, 2025: 76.5},
        "sex": (0.0, 0.0),
        "age": (0.3, 0.25, 0.2, 0.1, 0.0, -0.2, -0.5),
        "gradient": 0.3,
    },
    "akutte-indlaeggelser-aeldre": {
        "levels": {2010: 270.0, 2013: 265.0, 2017: 255.0, 2021: 245.0, 2025: 240.0},
        "sex": (0.08, -0.08),
        "age": (-1.6, -1.5, -1.3, -1.0, -0.6, -0.35, 0.35),
        "scope": AGE_GROUPS[5:],
        "gradient": 0.15,
    },
    "overvaegt-boern-unge": {
        "levels": {2010: 13.0, 2013: 13.5, 2017: 14.2, 2021: 15.2, 2025: 15.6},
        "sex": (0.05, -0.05),
        "age": (0.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1),
        "scope": ("16-24",),
        "gradient": 0.5,
    },
}
