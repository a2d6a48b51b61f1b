"""The built-in names every rule set starts from: the categories of LANGUAGE.md §4 and the 38
provinces (``data/provinces.csv``: Kemendagri code, BPS code, ISO 3166-2 code, official name, short
name, aliases)."""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

from .runtime import name_key

__all__ = ["name_key", "province_by_code", "province_index", "province_keys", "province_name", "provinces"]


@dataclass(frozen=True)
class PreludeCategory:
    name: str
    label_id: str
    label_en: str
    members: tuple[str, ...]
    aliases: tuple[str, ...] = ()


CATEGORIES: tuple[PreludeCategory, ...] = (
    PreludeCategory("all", "seluruh pegawai", "all staff", ("admin", "frontline"), ("semua",)),
    PreludeCategory(
        "admin",
        "layanan administrasi pemerintahan dan dukungan pimpinan",
        "government administration and leadership support services",
        ("administration", "leadership-support"),
        ("administrasi-dan-dukungan",),
    ),
    PreludeCategory(
        "administration",
        "layanan administrasi pemerintahan (kebijakan, penelitian, perencanaan, analisis, serta pemantauan dan "
        "evaluasi)",
        "government administration (policy, research, planning, analysis, monitoring and evaluation)",
        (),
        ("administrasi",),
    ),
    PreludeCategory(
        "leadership-support",
        "layanan dukungan pimpinan (kesekretariatan, keprotokolan, dan hubungan masyarakat)",
        "leadership support (secretariat, protocol and public relations)",
        (),
        ("dukungan-pimpinan",),
    ),
    PreludeCategory(
        "frontline",
        "layanan langsung kepada masyarakat",
        "direct public services",
        (
            "health",
            "security",
            "disaster",
            "energy",
            "logistics",
            "post",
            "transport",
            "vital-objects",
            "strategic-projects",
            "construction",
            "utilities",
        ),
        ("layanan-langsung",),
    ),
    PreludeCategory("health", "kesehatan", "health", (), ("kesehatan",)),
    PreludeCategory("security", "keamanan dan ketertiban", "security and public order", (), ("keamanan",)),
    PreludeCategory("disaster", "penanganan bencana", "disaster management", (), ("bencana",)),
    PreludeCategory("energy", "energi", "energy", (), ("energi",)),
    PreludeCategory("logistics", "logistik", "logistics", (), ("logistik",)),
    PreludeCategory("post", "pos", "postal services", (), ("pos",)),
    PreludeCategory("transport", "transportasi dan distribusi", "transport and distribution", (), ("transportasi",)),
    PreludeCategory("vital-objects", "objek vital nasional", "national vital objects", (), ("objek-vital",)),
    PreludeCategory(
        "strategic-projects", "proyek strategis nasional", "national strategic projects", (), ("proyek-strategis",)
    ),
    PreludeCategory("construction", "konstruksi", "construction", (), ("konstruksi",)),
    PreludeCategory("utilities", "utilitas dasar", "basic utilities", (), ("utilitas",)),
)


@dataclass(frozen=True)
class Province:
    """One of Indonesia's 38 provinces; ``code`` is the Kemendagri code used throughout."""

    code: str
    bps: str
    iso: str
    name: str
    short: str
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every way of writing this province that asnrules accepts."""
        return (self.code, self.iso, self.name, self.short, *self.aliases)


@functools.cache
def provinces() -> tuple[Province, ...]:
    text = resources.files("asnrules").joinpath("data/provinces.csv").read_text(encoding="utf-8")
    return tuple(
        Province(
            row["kemendagri"],
            row["bps"],
            row["iso"],
            row["name"],
            row["short"],
            tuple(a for a in row["aliases"].split(";") if a),
        )
        for row in csv.DictReader(io.StringIO(text))
    )


@functools.cache
def province_index() -> dict[str, Province]:
    """Every accepted name, code and alias (by :func:`name_key`) → province."""
    index: dict[str, Province] = {}
    for p in provinces():
        for name in p.names:
            index.setdefault(name_key(name), p)
    return index


@functools.cache
def province_by_code() -> dict[str, Province]:
    return {p.code: p for p in provinces()}


@functools.cache
def province_keys() -> dict[str, str]:
    """Every accepted name, code and alias (by :func:`name_key`) → Kemendagri code."""
    return {k: p.code for k, p in province_index().items()}


@functools.cache
def province_suggestions() -> list[str]:
    """The names offered as suggestions for an unknown province (codes left out)."""
    return [n for p in provinces() for n in p.names if not n.isdigit()]


def province_name(code: str | None) -> str:
    """The official name of a province by its Kemendagri code (``?`` for none)."""
    if code is None:
        return "?"
    return province_by_code()[code].name
