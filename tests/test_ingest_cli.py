"""`rasad ingest` refuses a database its ledger cannot live in; `rasad serve` names an
unreachable PostgreSQL server without its password."""

from pathlib import Path

from typer.testing import CliRunner

from rasad.cli import app


def test_ingest_into_postgresql_is_refused_with_e305_before_connecting(tmp_path: Path) -> None:
    # The ledger is SQLite-only: a PostgreSQL URL is refused up front, with no connection tried
    # (nothing listens on port 9 here) and no traceback.
    page = tmp_path / "a.html"
    page.write_text("<html><body><p>نص</p></body></html>", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(page), "--db",
                                      "postgresql://nobody:secret@127.0.0.1:9/none"])
    assert result.exit_code != 0
    assert "E305" in result.output
    assert "secret" not in result.output


def test_serve_on_an_unreachable_postgresql_is_e301_without_the_password() -> None:
    # serve reads PostgreSQL (tests/test_web_api.py); a server that does not answer is a coded
    # error naming the database without its password, and no traceback.
    result = CliRunner().invoke(app, ["serve", "--db",
                                      "postgresql://nobody:secret@127.0.0.1:9/none"])
    assert result.exit_code != 0
    assert "E301" in result.output and "nobody:***@127.0.0.1:9" in result.output
    assert "secret" not in result.output
    assert "Traceback" not in result.output
