"""`rasad ingest` and `rasad serve` name an unreachable PostgreSQL server without its password."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasad.cli import app


@pytest.mark.parametrize("command", ["ingest", "serve", "ingest --health"])
def test_an_unreachable_postgresql_is_e301_without_the_password(tmp_path: Path,
                                                                command: str) -> None:
    # ingest and serve work on PostgreSQL (tests/test_ingest_run.py, tests/test_web_api.py); a
    # server that does not answer (nothing listens on port 9 here) is a coded error naming the
    # database without its password, and no traceback.
    page = tmp_path / "a.html"
    page.write_text("<html><body><p>نص</p></body></html>", encoding="utf-8")
    name, *options = command.split()
    sources = [str(page)] if command == "ingest" else []
    result = CliRunner().invoke(app, [name, *sources, *options, "--db",
                                      "postgresql://nobody:secret@127.0.0.1:9/none"])
    assert result.exit_code != 0
    assert "E301" in result.output and "nobody:***@127.0.0.1:9" in result.output
    assert "secret" not in result.output
    assert "Traceback" not in result.output
