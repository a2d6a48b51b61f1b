"""Synthetic but realistic rule sets for benchmarks: many circulars, conflict-free by construction.

``generate(n_circulars, rules_per_circular, seed)`` returns ``{file name: rule text}``. Each circular
is issued by a ministry or a provincial government, a few days before its rules start; its rules last
from one day to a few weeks, somewhere between 2010 and 2039, in one to three provinces (written with
the many spellings the language accepts) or, for about one circular in fifty, nationwide; about one
in eight has a who part (central, regional or a named agency), some are written in Indonesian.

Conflicts are impossible: every constraint is an upper bound on WFH or WFA, a lower bound on WFO, or
``WFO = 100%`` for a frontline category — all of them hold when everyone works from the office, so no
set of them can contradict another (LANGUAGE.md §6). Rules start after their circular is issued, so
none is reported as never applying. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random

from asnrules.prelude import CATEGORIES

__all__ = ["generate"]

ISSUERS = [
    "Menteri PANRB",
    "Menteri Dalam Negeri",
    "Menteri Kesehatan",
    "Menteri Keuangan",
    "Menteri Agama",
    "Menteri Perhubungan",
    "Kepala BKN",
    "Gubernur",
]
SERIES = [
    "SE MenPANRB",
    "SE Kemendagri",
    "SE Kemenkes",
    "SE Kemenkeu",
    "SE Kemenag",
    "SE Kemenhub",
    "SE BKN",
    "SE Gubernur",
]
REGIONS = [
    "DKI",
    "Jabar",
    "Jateng",
    "Jatim",
    "DIY",
    "Banten",
    "Bali",
    "NTB",
    "NTT",
    "Kaltim",
    "Sulsel",
    "Aceh",
    "Sumut",
    "Sumbar",
    "Riau",
    "Jambi",
    "Sumsel",
    "Bengkulu",
    "Lampung",
    "Babel",
    "Kepri",
    "Kalbar",
    "Kalteng",
    "Kalsel",
    "Kaltara",
    "Sulut",
    "Sulteng",
    "Sultra",
    "Gorontalo",
    "Sulbar",
    "Maluku",
    "Malut",
    "Papua",
    '"Papua Barat"',
    '"Papua Selatan"',
    '"Papua Tengah"',
    '"Papua Pegunungan"',
    "PBD",
    "31",
    "ID-JB",
    '"DKI Jakarta"',
    '"Jawa Timur"',
]
AGENCIES = [
    '"Kementerian Dalam Negeri"',
    '"Kementerian Kesehatan"',
    '"Kementerian Agama"',
    '"Badan Kepegawaian Negara"',
    '"Pemerintah Provinsi"',
]
UPPER = ["25%", "30%", "40%", "50%", "60%", "75%", "33,5%", "12.5%"]
LOWER = ["25%", "40%", "50%", "60%", "70%", "75%", "100%"]
ADMIN = ["admin", "administration", "leadership-support", "all"]
FRONTLINE = ["frontline", *next(c.members for c in CATEGORIES if c.name == "frontline")]
FIRST_DAY = dt.date(2010, 1, 1)
SPAN_DAYS = 30 * 365


def _constraint(rng: random.Random, indonesian: bool) -> str:
    kind = rng.random()
    if kind < 0.25:
        return f"{rng.choice(FRONTLINE)} WFO = 100%"
    if kind < 0.45:
        word = "paling sedikit" if indonesian else rng.choice([">=", "at least"])
        return f"{rng.choice(ADMIN)} WFO {word} {rng.choice(LOWER)}"
    word = "paling banyak" if indonesian else rng.choice(["<=", "at most"])
    mode = "WFH" if kind < 0.85 else "WFA"
    return f"{rng.choice(ADMIN + FRONTLINE[:3])} {mode} {word} {rng.choice(UPPER)}"


def _circular(rng: random.Random, number: int, rules_per_circular: int) -> tuple[str, str]:
    series = rng.randrange(len(SERIES))
    issued = FIRST_DAY + dt.timedelta(days=rng.randrange(SPAN_DAYS))
    name = f"{SERIES[series]} {number}/{issued.year}"
    indonesian = rng.random() < 0.3
    nationwide = rng.random() < 0.02
    regions = rng.sample(REGIONS, rng.choice([1, 1, 1, 2, 3]))
    lines = [
        f"# Synthetic circular {number}",
        f'circular "{name}"',
        f'  title "Penyesuaian Sistem Kerja Pegawai ASN nomor {number}"',
        f'  issued {issued.isoformat()} by "{ISSUERS[series]}"',
        '  basis "PP 94/2021", "Perpres 21/2023"',
        "",
    ]
    for r in range(rules_per_circular):
        start = issued + dt.timedelta(days=rng.randrange(1, 20))
        end = start + dt.timedelta(days=rng.choice([0, 1, 2, 4, 6, 13, 27]))
        if indonesian:
            when = f"antara {start} dan {end}" if start != end else f"pada {start}"
            where = "nasional" if nationwide else "di " + ", ".join(regions)
        else:
            when = f"between {start} and {end}" if start != end else f"on {start}"
            where = "nationwide" if nationwide else "in " + ", ".join(regions)
        who = ""
        if rng.random() < 0.12:
            pick = rng.random()
            who = " for " + ("central" if pick < 0.4 else "regional" if pick < 0.6 else rng.choice(AGENCIES))
        constraints = "; ".join(_constraint(rng, indonesian) for _ in range(rng.choice([1, 1, 2, 2, 3])))
        label = f"aturan-{r + 1}" if indonesian else f"rule-{r + 1}"
        keyword = "aturan" if indonesian else "rule"
        lines.append(f"{keyword} {label} {when} {where}{who}: {constraints}")
    if rng.random() < 0.5:
        lines += ["", 'note "Pemantauan kinerja pegawai dan organisasi tetap berjalan."']
    return f"synthetic-{number:05d}.asnr", "\n".join(lines) + "\n"


def generate(n_circulars: int, rules_per_circular: int, seed: int = 0) -> dict[str, str]:
    """``n_circulars`` synthetic circulars of ``rules_per_circular`` rules each: file name → rule text."""
    rng = random.Random(seed)
    return dict(_circular(rng, i + 1, rules_per_circular) for i in range(n_circulars))
