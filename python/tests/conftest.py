"""Shared fixtures: the repository, the demo corpus, the command-line binary and the corpora."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "articles.jsonl"


def corpora() -> Path:
    """Folder of the shared corpora (`TOPICTRACK_CORPORA`, default `../shared/data`)."""
    return Path(os.environ.get("TOPICTRACK_CORPORA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def demo_path() -> Path:
    return DEMO


@pytest.fixture(scope="session")
def demo_df(demo_path):
    import pandas as pd

    return pd.read_json(demo_path, lines=True, dtype={"id": str})


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `topictrack` binary built from this checkout (`TOPICTRACK_BIN`, else target/release,
    else target/debug, else on PATH)."""
    if os.environ.get("TOPICTRACK_BIN"):
        return Path(os.environ["TOPICTRACK_BIN"])
    for profile in ("release", "debug"):
        p = REPO / "target" / profile / "topictrack"
        if p.exists():
            return p
    found = shutil.which("topictrack")
    if found:
        return Path(found)
    pytest.fail("no topictrack binary: run `cargo build --release` or set TOPICTRACK_BIN")


def run_cli(cli: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(cli), *args], capture_output=True, text=True, check=True)


@pytest.fixture(scope="session")
def demo_cli_out(cli, demo_path, tmp_path_factory) -> Path:
    """`topictrack analyze` of the demo corpus, seed 0, with the model saved."""
    out = tmp_path_factory.mktemp("cli") / "out"
    run_cli(cli, "analyze", str(demo_path), "--out", str(out), "--seed", "0", "--save-model",
            "--no-charts", "--quiet")
    return out


@pytest.fixture(scope="session")
def demo_result(demo_df):
    import topictrack

    return topictrack.analyze(demo_df, seed=0)
