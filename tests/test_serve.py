"""The web API (``asnrules serve``, INTERFACES.md Part II "Web API"): each endpoint against golden
answers under tests/cases/serve/ (``ASNRULES_UPDATE_GOLDEN=1`` rewrites them: review the diff), the
headers, strict input (every refusal a 4xx JSON error with a code), and the API against the library."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import urllib.request
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from asnrules.answers import stamped
from asnrules.planner import plan
from asnrules.ruleset import RuleSet, load
from asnrules.serve import MAX_BODY, MAX_PLAN_DAYS, MAX_PLAN_STAFF, create_app
from asnrules.version import __version__
from serving import ROOT, live_server
from strategies import SituationCase, situations

CASES = Path(__file__).parent / "cases" / "serve"
UPDATE = os.environ.get("ASNRULES_UPDATE_GOLDEN") == "1"
ACCEPTANCE = {"date": "2023-08-30", "region": "DKI", "counts": {"admin": {"WFH": 6, "WFO": 4}}}

RS: RuleSet = load(ROOT / "rules")
CLIENT = TestClient(create_app(RS))


def _golden(name: str, data: Any) -> None:
    path = CASES / f"{name}.json"
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    # the sources relative to the checkout, so a golden answer holds wherever the repository is cloned
    text = text.replace(json.dumps(f"{ROOT.as_posix()}/")[1:-1], "")
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path.name} is missing: run with ASNRULES_UPDATE_GOLDEN=1 and review it"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)


SE17_STAFF = ROOT / "tests" / "cases" / "plan" / "se-17-2023" / "staff.csv"


def _unit(n: int = 8) -> list[dict[str, Any]]:
    """The first ``n`` staff of the SE 17/2023 case, as the JSON of POST /v1/plan."""
    with SE17_STAFF.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[:n]
    staff: list[dict[str, Any]] = []
    for r in rows:
        m: dict[str, Any] = {"employee": r["employee"], "unit": r["unit"], "category": r["category"]}
        if r["team"]:
            m["team"] = r["team"]
        m["eligible"] = r["eligible"] == "true"
        if r["leave"]:
            m["leave"] = r["leave"].split(";")
        if r["prefer"]:
            m["prefer"] = r["prefer"].split(";")
        if r["fixed"]:
            m["fixed"] = dict(x.split("=") for x in r["fixed"].split(";"))
        staff.append(m)
    return staff


PLAN = {"staff": _unit(), "from": "2023-08-28", "to": "2023-09-01", "region": "DKI", "lang": "en"}
#: One administration employee held at home on a day when at most 50% of them may be: no roster.
IMPOSSIBLE = {
    "staff": [{"employee": "A", "unit": "U", "category": "administration", "fixed": {"2023-08-30": "WFH"}}],
    "from": "2023-08-28",
    "to": "2023-09-01",
    "region": "DKI",
}

ANSWERS: dict[str, tuple[str, str, Any]] = {
    "plan": ("POST", "/v1/plan", PLAN),
    "plan-infeasible": ("POST", "/v1/plan", IMPOSSIBLE),
    "evaluate": ("POST", "/v1/evaluate", ACCEPTANCE),
    "evaluate-compliant": (
        "POST",
        "/v1/evaluate",
        {"date": "2023-08-30", "region": "DKI", "counts": {"admin": {"WFH": 4, "WFO": 6}}},
    ),
    "explain-en": ("POST", "/v1/explain", {**ACCEPTANCE, "lang": "en"}),
    "explain-id": ("POST", "/v1/explain", {**ACCEPTANCE, "lang": "id"}),
    "batch": ("POST", "/v1/evaluate/batch", {"situations": [ACCEPTANCE, {"date": "2023-09-01", "region": "Bali"}]}),
    "capacity": ("POST", "/v1/capacity", {"date": "2023-08-30", "region": "DKI", "staff": {"admin": 40}}),
    "in-force": ("GET", "/v1/in-force?date=2023-08-30&region=DKI", None),
    "circulars": ("GET", "/v1/circulars", None),
    "lint-clean": ("POST", "/v1/lint", {"text": "", "name": "empty.asnr"}),
    "lint-hostile": ("POST", "/v1/lint", {"text": "<script>alert(1)</script>\x00\x1b[31m\u202e", "lang": "en"}),
}

ERRORS: dict[str, tuple[str, str, Any, int, str]] = {
    # name: method, path, raw body (str) or JSON, status, code
    "malformed-json": ("POST", "/v1/evaluate", "{bad", 400, "E381"),
    "unknown-field": ("POST", "/v1/evaluate", {**ACCEPTANCE, "zone": 1}, 422, "E382"),
    "bad-date": ("POST", "/v1/evaluate", {**ACCEPTANCE, "date": "2023-02-30"}, 422, "E310"),
    "float-count": ("POST", "/v1/evaluate", {**ACCEPTANCE, "counts": {"admin": {"WFH": 6.0}}}, 422, "E382"),
    "bool-count": ("POST", "/v1/evaluate", {**ACCEPTANCE, "counts": {"admin": {"WFH": True}}}, 422, "E382"),
    "string-count": ("POST", "/v1/evaluate", {**ACCEPTANCE, "counts": {"admin": {"WFH": "6"}}}, 422, "E382"),
    "negative-count": ("POST", "/v1/evaluate", {**ACCEPTANCE, "counts": {"admin": {"WFH": -1}}}, 422, "E382"),
    "missing-date": ("POST", "/v1/evaluate", {"region": "DKI"}, 422, "E382"),
    "not-found": ("GET", "/v1/nothing", None, 404, "E383"),
    "plan-too-long": ("POST", "/v1/plan", {**IMPOSSIBLE, "to": "2023-10-29"}, 422, "E382"),
    "plan-bad-category": (
        "POST",
        "/v1/plan",
        {**IMPOSSIBLE, "staff": [{"employee": "A", "unit": "U", "category": "astronaut"}]},
        422,
        "E363",
    ),
    "plan-bad-weekday": (
        "POST",
        "/v1/plan",
        {**IMPOSSIBLE, "staff": [{"employee": "A", "unit": "U", "category": "administration", "prefer": ["caturday"]}]},
        422,
        "E365",
    ),
    "plan-unknown-field": (
        "POST",
        "/v1/plan",
        {**IMPOSSIBLE, "staff": [{"employee": "A", "unit": "U", "category": "administration", "zone": 1}]},
        422,
        "E382",
    ),
    "wrong-method": ("GET", "/v1/evaluate", None, 405, "E384"),
}


def _send(method: str, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    if isinstance(body, str):
        return CLIENT.request(
            method, path, content=body, headers={"content-type": "application/json", **(headers or {})}
        )
    if body is None:
        return CLIENT.request(method, path, headers=headers)
    return CLIENT.request(method, path, json=body, headers=headers)


def _stamped_headers(response: Any) -> None:
    assert response.headers["asnrules-version"] == __version__
    assert response.headers["rules-fingerprint"] == RS.fingerprint


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_answer_matches_golden(name: str) -> None:
    method, path, body = ANSWERS[name]
    response = _send(method, path, body)
    assert response.status_code == 200, response.text
    _stamped_headers(response)
    _golden(name, response.json())


@pytest.mark.parametrize("name", sorted(ERRORS))
@pytest.mark.parametrize("lang", ["en", "id"])
def test_refusal_is_a_json_error_with_a_code(name: str, lang: str) -> None:
    method, path, body, status, code = ERRORS[name]
    response = _send(method, path, body, headers={"accept-language": lang})
    assert response.status_code == status, response.text
    _stamped_headers(response)
    data = response.json()
    assert set(data) == {"error"} and set(data["error"]) == {"code", "message"}
    assert data["error"]["code"] == code
    assert "Traceback" not in response.text
    _golden(f"error-{name}-{lang}", data)


def test_refusal_names_the_field() -> None:
    data = _send("POST", "/v1/evaluate", {**ACCEPTANCE, "counts": {"admin": {"WFH": 1.5}}}).json()
    assert "counts.admin.WFH" in data["error"]["message"]
    assert "zone" in _send("POST", "/v1/evaluate", {**ACCEPTANCE, "zone": 1}).json()["error"]["message"]


def test_plan_equals_the_library_and_the_cli(tmp_path: Path) -> None:
    served = _send("POST", "/v1/plan", PLAN).json()
    assert served["feasible"] is True and served["staff"] == 8 and served["rechecked"]["ok"] is True
    staff = tmp_path / "staff.csv"  # the same 8 staff, as a STAFF_FILE
    staff.write_text("\n".join(SE17_STAFF.read_text(encoding="utf-8").splitlines()[:9]) + "\n", encoding="utf-8")
    expected = plan(RS, staff, "2023-08-28", "2023-09-01", "DKI").to_json("en")
    assert served == json.loads(json.dumps(expected))
    command = [sys.executable, "-m", "asnrules", "plan", str(ROOT / "rules"), str(staff)]
    printed = subprocess.run(
        [*command, "--from", "2023-08-28", "--to", "2023-09-01", "--region", "DKI", "--lang", "en", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout) == served


def test_an_impossible_plan_is_answered_200_with_the_reason() -> None:
    response = _send("POST", "/v1/plan", {**IMPOSSIBLE, "lang": "id"})
    assert response.status_code == 200
    data = response.json()
    assert data["feasible"] is False and data["rows"] == [] and "admin-wfh" in data["reason"]
    assert data["clash"]["rules"][0]["unit"] == "U"


def test_plan_limits_name_the_field() -> None:
    longest = (dt.date(2023, 8, 1) + dt.timedelta(days=MAX_PLAN_DAYS - 1)).isoformat()
    ok = _send("POST", "/v1/plan", {**IMPOSSIBLE, "from": "2023-08-01", "to": longest})
    assert ok.status_code == 200, ok.text
    over = (dt.date(2023, 8, 1) + dt.timedelta(days=MAX_PLAN_DAYS)).isoformat()
    too_long = _send("POST", "/v1/plan", {**IMPOSSIBLE, "from": "2023-08-01", "to": over, "lang": "en"})
    assert too_long.status_code == 422 and too_long.json()["error"]["code"] == "E382"
    assert "field to" in too_long.json()["error"]["message"]
    member = {"unit": "U", "category": "administration"}
    crowd = [{"employee": f"E{i}", **member} for i in range(MAX_PLAN_STAFF + 1)]
    too_many = _send("POST", "/v1/plan", {**IMPOSSIBLE, "staff": crowd}, headers={"accept-language": "en"})
    assert too_many.status_code == 422 and too_many.json()["error"]["code"] == "E382"
    assert "field staff" in too_many.json()["error"]["message"]
    twice = _send("POST", "/v1/plan", {**IMPOSSIBLE, "staff": [{"employee": "A", **member}] * 2})
    assert twice.status_code == 422 and twice.json()["error"]["code"] == "E369"
    assert "zone" in _send("POST", "/v1/plan", ERRORS["plan-unknown-field"][2]).json()["error"]["message"]


def test_huge_body_is_refused_413() -> None:
    response = CLIENT.post("/v1/evaluate", content=b" " * (MAX_BODY + 1), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "E385"
    _stamped_headers(response)


def test_playground_page_headers() -> None:
    response = CLIENT.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'sha256-" in response.headers["content-security-policy"]
    _stamped_headers(response)
    head = CLIENT.head("/")  # a monitor's check that the service is up
    assert head.status_code == 200 and head.content == b"" and head.headers["content-type"].startswith("text/html")
    _stamped_headers(head)


def test_playground_answer_is_json() -> None:
    response = CLIENT.post("/v1/playground", json={"text": "", "lang": "en"})
    assert response.status_code == 200
    assert isinstance(response.json(), dict)
    too_long = CLIENT.post("/v1/playground", json={"text": "x" * 200_001})
    assert too_long.status_code == 422 and too_long.json()["error"]["code"] == "E382"


def test_lint_never_touches_the_loaded_rules() -> None:
    before = CLIENT.get("/v1/circulars").json()
    CLIENT.post("/v1/lint", json={"text": 'circular "X":\n  title "y"\n'})
    assert CLIENT.get("/v1/circulars").json() == before


def test_openapi_matches_golden() -> None:
    response = CLIENT.get("/openapi.json")
    assert response.status_code == 200
    data = response.json()
    assert {"/v1/evaluate", "/v1/evaluate/batch", "/v1/explain", "/v1/capacity", "/v1/lint", "/v1/in-force"} <= set(
        data["paths"]
    )
    assert CLIENT.get("/docs").status_code == 404 and CLIENT.get("/redoc").status_code == 404
    _golden("openapi", data)


def _body(s: SituationCase) -> dict[str, Any]:
    date = s.date_arg.isoformat() if isinstance(s.date_arg, dt.date) else s.date_arg
    body: dict[str, Any] = {"date": date, "region": s.region_arg, "counts": s.counts_arg}
    if s.level_arg is not None:
        body["level"] = s.level_arg
    if s.agency_arg is not None:
        body["agency"] = s.agency_arg
    return body


@settings(deadline=None, max_examples=60)
@given(situations())
def test_api_evaluate_equals_the_library(s: SituationCase) -> None:
    body = _body(s)
    response = CLIENT.post("/v1/evaluate", json=body)
    assert response.status_code == 200, response.text
    expected = stamped(RS.evaluate(*s.args, engine="interpreter").to_json(), RS)
    assert response.json() == json.loads(json.dumps(expected))
    batch = CLIENT.post("/v1/evaluate/batch", json={"situations": [body, body]})
    compiled = RS._compiled_evaluator()
    decided = stamped(compiled(RS.situation(*s.args)).to_json(), RS)
    assert batch.json() == {"results": [json.loads(json.dumps(decided))] * 2}


def test_live_acceptance_request_equals_the_cli() -> None:
    with live_server() as base:
        request = urllib.request.Request(
            f"{base}/v1/evaluate", data=json.dumps(ACCEPTANCE).encode(), headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            served = json.loads(answer.read())
    command = [sys.executable, "-m", "asnrules", "eval", str(ROOT / "rules"), "--date", "2023-08-30", "--region", "DKI"]
    printed = subprocess.run(
        [*command, "admin:WFH=6", "admin:WFO=4", "--json"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert json.loads(printed.stdout) == served


def test_busy_port_is_a_one_line_error() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "asnrules", "serve", "rules/", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert run.returncode == 2
    assert "E386" in run.stderr and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("body", "english", "indonesian"),
    [
        (
            '{"date": "2023-08-30",\n  "region" "DKI"}',
            "a ':' was expected after the name at line 2, column 12",
            "baris 2, kolom 12",
        ),
        ('{"date": "2023-08-30", "region": }', "a value was expected at line 1, column 34", "diharapkan sebuah nilai"),
        ('{"a": "é", "b" 1}', "at line 1, column 16", "kolom 16"),  # columns count characters, not bytes
        ('{"a": 1} x', "there is more after the end of the JSON", "ada lanjutan setelah akhir JSON"),
        ('{"a": "\\q"}', "a backslash not followed by one of", "garis miring terbalik"),
        ('{"a": "x', "a text in quotes is not closed", "tidak ditutup"),
        ('\ufeff{"a":\n1,\n,}', "at line 3, column 1", "baris 3, kolom 1"),  # a BOM is not a character of the text
    ],
)
def test_a_body_that_is_not_json_says_why_and_where_in_both_languages(body: str, english: str, indonesian: str) -> None:
    for lang, words in (("en", english), ("id", indonesian)):
        response = CLIENT.post(
            f"/v1/evaluate?lang={lang}", content=body.encode(), headers={"content-type": "application/json"}
        )
        assert response.status_code == 400 and response.json()["error"]["code"] == "E381"
        message = response.json()["error"]["message"]
        assert words in message and "Expecting" not in message, message
