"""The catalogue of messages (asnrules/data/messages/*.toml, :mod:`asnrules.messages`).

- every message id the source names (``msg("...")`` anywhere in src/, and the ids the checker, the
  runtime and the audit build) is in the catalogue;
- each message has the same placeholders in English and Indonesian, and formats in both;
- no Indonesian text uses common English words;
- the runtime's English (``Reason.message``, what the standalone module says) is the catalogue's;
- the checker's and the audit's messages, worded in Indonesian, name Indonesian keywords, and their
  English is what it always was.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

import pytest

from asnrules import RulesError, citing, loads, runtime
from asnrules.audit_report import AuditReport
from asnrules.errors import InputError
from asnrules.messages import catalogue, placeholders, say

SRC = Path(__file__).resolve().parents[1] / "src" / "asnrules"

#: Words that must not appear in an Indonesian text (placeholders and keywords left out).
ENGLISH = ("the", "expected", "unknown", "rule", "rules", "error", "file", "must", "cannot", "with", "is", "of")


def _ids_in_source() -> set[str]:
    """Every literal message id the source names: ``msg("id"``, ``say("id"`` anywhere; in the modules
    of the checker, the runtime and the audit also ``_words("x"`` (``runtime.x``), ``say_("x"``
    (``audit.summary.x``) and any literal ``"check.x"``/``"runtime.x"``/``"audit.x"``."""
    found: set[str] = set()
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"\b(?:msg|say)\(\s*\"([a-z][a-z0-9.\-]*)\"", text))
        found |= {"runtime." + x for x in re.findall(r"\b_words\(\s*\"([a-z0-9.\-]+)\"", text)}
        found |= {"audit.summary." + x for x in re.findall(r"\bsay_\(\s*\"([a-z0-9.\-]+)\"", text)}
        found |= set(re.findall(r"\"((?:check|runtime|audit)\.[a-z0-9\-]+(?:\.[a-z0-9\-]+)*)\"", text))
    return found


def test_every_message_the_source_names_is_in_the_catalogue() -> None:
    ids = _ids_in_source()
    assert len(ids) > 100, "the scan found the message ids"
    missing = sorted(i for i in ids if i not in catalogue() and not i.endswith((".", ".py", ".toml")))
    assert not missing, f"not in the catalogue: {missing}"


def test_the_built_ids_are_in_the_catalogue() -> None:
    """The ids built in code: the months, the reject reasons, the summary's labels."""
    for month in range(1, 13):
        assert say(f"runtime.month.{month}", "en") == calendar.month_name[month]
        assert say(f"runtime.month.{month}", "id")
    for number, reason in runtime.REJECTS.items():
        assert say(f"audit.reject.{number}", "en") == reason
        assert say(f"audit.reject.{number}", "id") != reason
    for kind in ("circular", "regulation", "instruction", "decree"):
        assert say(f"check.this.{kind}", "en") == f"this {kind}"
        assert say(f"check.its.{kind}", "en") == f"its {kind}"
    assert say("runtime.max-count", "en") == f"{runtime.MAX_COUNT:,}"
    assert say("runtime.max-count", "id") == f"{runtime.MAX_COUNT:,}".replace(",", ".")


@pytest.mark.parametrize("id", sorted(catalogue()))
def test_both_texts_have_the_same_placeholders_and_format(id: str) -> None:
    texts = catalogue()[id]
    assert placeholders(texts["en"]) == placeholders(texts["id"]), id
    dummy = {name: "X" for name in placeholders(texts["en"])}
    for lang in ("en", "id"):
        say(id, lang, **dummy)


def _words_of(template: str) -> list[str]:
    plain = re.sub(r"\{[^{}]*\}", " ", template)
    return re.findall(r"[A-Za-z]+", plain)


@pytest.mark.parametrize("id", sorted(i for i in catalogue() if i.split(".")[0] in ("check", "runtime", "audit")))
def test_indonesian_texts_use_no_english_words(id: str) -> None:
    words = {w.lower() for w in _words_of(catalogue()[id]["id"])}
    assert not words & set(ENGLISH), (id, sorted(words & set(ENGLISH)))


def test_catalogue_wide_no_english_words_in_indonesian() -> None:
    """The five words the brief names, in every stage's Indonesian."""
    bad = []
    for id, texts in catalogue().items():
        words = {w.lower() for w in _words_of(texts["id"])}
        if words & {"the", "expected", "unknown", "rule", "error"}:
            bad.append(id)
    assert not bad, bad


# ---- the runtime: its English is the catalogue's -------------------------------------------------

READS = [
    *(
        runtime.read_date(v)
        for v in ("2023-02-30", "x", "2023-13-01", "2023-01-01 10:00", 5, dt.datetime(2023, 1, 1, 9))
    ),
    runtime.read_province("Jawa Barta", {}, ["Jawa Barat", "Jawa Timur", "Jawa Tengah"]),
    runtime.read_province("Zzz", {}, ["Aceh"]),
    runtime.read_province(7, {}, []),
    runtime.read_level("provinsi"),
    runtime.read_level(3),
    runtime.read_agency(3),
    runtime.read_mode("izin sakit"),
    runtime.read_category("admn", {}, ["admin", "frontline"]),
    *(runtime.read_count(v, "admin WFH") for v in (-1, 10**13, 10**5000, "a")),
    runtime.read_mode_map([("", "WFO")]),
    runtime.read_mode_map([("DL", "kantor")]),
    runtime.read_mode_map([("DL", "WFO"), ("dl", "WFH")]),
    runtime.COUNTS_NOT_A_MAPPING,
    runtime.modes_not_a_mapping("admin"),
]


@pytest.mark.parametrize("reason", READS, ids=lambda r: getattr(r, "message", str(r))[:40])
def test_runtime_english_is_the_catalogues(reason: object) -> None:
    assert isinstance(reason, runtime.Reason)
    assert reason.words is not None, reason
    m = citing.reason_msg(reason)
    assert not isinstance(m, str)
    assert m.text("en") == reason.message
    assert m.text("id") != reason.message


def test_runtime_in_indonesian() -> None:
    found = runtime.read_date("2023-02-30")
    assert isinstance(found, runtime.Reason)
    assert citing.reason_msg(found).text("id") == "'2023-02-30' bukan tanggal yang ada: Februari 2023 hanya 28 hari"  # type: ignore[union-attr]
    level = runtime.read_level("provinsi")
    assert isinstance(level, runtime.Reason)
    assert "'pusat' atau 'daerah'" in str(citing.reason_msg(level).text("id"))  # type: ignore[union-attr]
    province = runtime.read_province("Jawa Barta", {}, ["Jawa Barat", "Jawa Timur", "Jawa Tengah"])
    assert isinstance(province, runtime.Reason)
    text = citing.reason_msg(province).text("id")  # type: ignore[union-attr]
    assert (
        text
        == "provinsi 'Jawa Barta' tidak dikenal; apakah yang dimaksud 'Jawa Barat', 'Jawa Tengah', atau 'Jawa Timur'?"
    )


def test_evaluate_raises_input_errors_worded_in_both_languages() -> None:
    rs = loads('circular "SE A"\n\non 2023-08-28: admin WFH <= 50%\n')
    with pytest.raises(InputError) as caught:
        rs.evaluate("2023-02-30", "DKI Jakarta", {"admin": {"WFH": 1}})
    assert caught.value.code == "E310"
    assert caught.value.text("en") == "'2023-02-30' is not a date: February 2023 has 28 days"
    assert caught.value.text("id").startswith("'2023-02-30' bukan tanggal")
    with pytest.raises(InputError) as caught:
        rs.evaluate("2023-08-28", "DKI Jakarta", {"admin": {"WFH": -1}})
    assert caught.value.text("id") == "jumlah pegawai harus bilangan bulat mulai dari 0; admin WFH bernilai negatif"


# ---- the checker ----------------------------------------------------------------------------------

CONFLICT_ID = """surat edaran "SE A"
aturan r1 pada 2023-08-28 nasional: semua WFO = 100%
aturan r2 pada 2023-08-28 di "DKI Jakarta": admin WFH paling sedikit 10%
"""


def _diagnostics(text: str) -> list[object]:
    try:
        return list(loads(text, "a.asnr").diagnostics)
    except RulesError as e:
        return list(e.diagnostics)


def test_a_conflict_in_both_languages() -> None:
    diags = _diagnostics(CONFLICT_ID)
    conflict = next(d for d in diags if getattr(d, "code", "") == "E140")
    en = conflict.localised("en")  # type: ignore[attr-defined]
    assert en.message.startswith("conflict: 'all WFO = 100%' (SE A, rule r1, a.asnr:2:")
    assert "can never all hold for admin staff on 2023-08-28 in DKI Jakarta" in en.message
    id_ = conflict.localised("id")  # type: ignore[attr-defined]
    assert id_.message.startswith("pertentangan: 'semua WFO tepat 100%' (SE A, aturan r1, a.asnr:2:")
    assert "pada tanggal 2023-08-28 di Provinsi DKI Jakarta" in id_.message
    assert "'mengesampingkan'" in id_.suggestion
    assert all("aturan r" in note for _, note in id_.related)
    for text in (id_.message, id_.suggestion, *(n for _, n in id_.related)):
        assert not {w.lower() for w in _words_of(text)} & {"the", "rule", "staff", "for", "and", "on", "in"}, text


def test_warnings_in_indonesian() -> None:
    text = """surat edaran "SE A"

pada 2023-03-01: admin WFH <= 50%

surat edaran "SE B"
  mencabut "SE A"
aturan r1 pada 2023-08-28: admin WFH <= 100%
aturan r1 pada 2023-08-29: admin WFH <= 50%; admin WFH <= 40%
"""
    diags = _diagnostics(text)
    said = {d.code: d.localised("id").message for d in diags}  # type: ignore[attr-defined]
    assert said["W201"].startswith("'admin WFH paling banyak ")
    assert said["W203"].startswith("'SE B' mencabut 'SE A' tetapi tidak mempunyai tanggal 'ditetapkan'")
    assert said["W200"].startswith("aturan ini tidak pernah berlaku")
    assert said["W204"].startswith("label 'r1' sudah dipakai")


# ---- the audit ------------------------------------------------------------------------------------


def _report() -> AuditReport:
    r = AuditReport(engine="duckdb", data="x.csv")
    r.rows_read, r.rows_audited = 1234567, 1234560
    r.rejected_by_reason = {"bad date": 5, "duplicate record": 2, "unknown mode": 0}
    r.unplaced_rejects = 1
    r.unit_days, r.compliant_unit_days, r.violating_unit_days, r.uncovered_unit_days = 100, 90, 6, 4
    r.incomplete_unit_days, r.skipped_unit_days = 3, 2
    r.units, r.violation_count = 10, 7
    r.by_circular = {"SE A": 7}
    r.by_province = {f"P{i}": 1 for i in range(11)}
    r.out = "v.csv"
    return r


def test_the_summary_in_english_is_unchanged() -> None:
    assert _report().summary_text() == "\n".join(
        [
            "rows read         1,234,567",
            "rows audited      1,234,560",
            "rows rejected             7",
            "  bad date: 5",
            "  duplicate record: 2",
            "  (of them with no unit or no day to charge them to: 1)",
            "unit-days               100",
            "  compliant              90",
            "  violating               6",
            "  uncovered               4 (no rule applies, or no staff to count)",
            "  of them 3 audited although some of their rows were rejected "
            "(see rows_rejected; --complete-only leaves them out)",
            "  not audited (--complete-only: rows rejected) 2",
            "units                    10",
            "violations                7 (in 6 unit-days)",
            "by circular:",
            "  SE A: 7",
            "by province:",
            *(f"  P{i}: 1" for i in range(10)),
            "  (1 more province: 1)",
            "violations written to v.csv",
            "rejected rows not written (use --rejects FILE to see them)",
            "rows read = rows audited + rows rejected: 1,234,567 = 1,234,560 + 7",
        ]
    )


def test_the_summary_in_indonesian() -> None:
    text = _report().summary_text("id")
    assert "baris dibaca" in text and "1.234.567" in text
    assert "  tanggal tidak sah: 5" in text
    assert "menurut provinsi:" in text
    lines = text.splitlines()
    numbers = [line for line in lines if re.search(r" \d[\d.]*$", line) and not line.startswith("  P")]
    ends = {len(line) for line in numbers[:3]}
    assert len(ends) == 1, "the counts are aligned"


def test_audit_input_errors_in_indonesian(tmp_path: Path) -> None:
    from asnrules.audit_data import find_source

    with pytest.raises(InputError) as caught:
        find_source(str(tmp_path / "none.csv"))
    assert caught.value.text("en") == f"no such file or directory: {tmp_path / 'none.csv'}"
    assert caught.value.text("id") == f"berkas atau direktori tidak ditemukan: {tmp_path / 'none.csv'}"
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError) as caught:
        find_source(str(empty))
    assert caught.value.text("id") == f"{empty} kosong: tidak memuat baris nama kolom maupun baris data"


def test_missing_columns_in_both_languages() -> None:
    from asnrules.compile_sql import attendance_columns

    with pytest.raises(InputError) as caught:
        attendance_columns(["employee", "unit", "date", "region", "category"])
    assert caught.value.text("en") == (
        "the data lacks the column mode (found: employee, unit, date, region, category); attendance data "
        "needs employee, unit, date, region, category, mode and optionally agency, level"
    )
    assert caught.value.text("id").startswith("data tidak memuat kolom mode (yang ada: employee")
    with pytest.raises(InputError) as caught:
        attendance_columns([])
    assert "lacks the columns" in caught.value.text("en") and "(found: none)" in caught.value.text("en")
    assert "(yang ada: tidak ada)" in caught.value.text("id")


def test_duck_reason_words() -> None:
    from asnrules.audit_engines import duck_reason, duck_reason_msg

    ragged = "CSV Error on Line: 3\nExpected Number of Columns: 7 Found: 8\n  file = a.csv\n"
    assert duck_reason(ragged) == (
        "a.csv, line 3 has 8 fields where the header has 7 (a missing or extra delimiter, or an unclosed quote)"
    )
    m = duck_reason_msg(ragged)
    assert not isinstance(m, str) and m.text("id").startswith("a.csv, baris 3 memuat 8 kolom")
    assert duck_reason("") == "the engine gave no reason"


def test_the_summary_says_one_unit_day() -> None:
    r = _report()
    r.violating_unit_days, r.violation_count = 1, 2
    assert "violations                2 (in 1 unit-day)" in r.summary_text().splitlines()
    assert "(pada 1 satuan kerja per hari)" in r.summary_text("id")


def test_a_diagnostic_names_every_message_it_says() -> None:
    """The lists of constraints (:class:`asnrules.citing.Chain`) are messages too: the golden cases'
    coverage sees their joiner and their items."""
    conflict = next(d for d in _diagnostics(CONFLICT_ID) if getattr(d, "code", "") == "E140")
    ids = conflict.message_ids()  # type: ignore[attr-defined]
    assert {"check.conflict", "check.and", "check.cited", "check.reason-inherited", "check.context"} <= ids
    assert all(i in catalogue() for i in ids)
