"""Shared test set-up: Hypothesis profiles (CI is derandomized) and paths."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RULES = ROOT / "rules"
CASES = Path(__file__).resolve().parent / "cases"


def portable(rows: Any) -> Any:
    """``rows`` (dicts with a ``source`` such as ``/path/to/repo/tests/cases/x.asnr:3:5``) with each
    source relative to the checkout, so a golden answer holds wherever the repository is cloned."""
    prefix = f"{ROOT.as_posix()}/"
    return [{**r, "source": r["source"].removeprefix(prefix)} if "source" in r else r for r in rows]


settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local SparkSession for the whole run (skipped without pyspark or Java)."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:  # pragma: no cover - CI has Java
        pytest.skip("Spark needs Java")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("asnrules-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # small data, large plans: compiling generated code for each query costs far more than it saves
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
