"""`rasad serve --workers N` with a listening socket per worker (`rasad.web.workers`)."""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from rasad.cli import app
from rasad.errors import ConfigError
from rasad.web.workers import check_free, reuse_port_available

runner = CliRunner()


def test_a_port_in_use_is_refused_before_any_worker_starts(tmp_path: object) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError) as refused:
            check_free("127.0.0.1", port)
        assert refused.value.code == "E504" and str(port) in str(refused.value)
    check_free("127.0.0.1", port)  # free again once the other socket is closed


@pytest.mark.skipif(not reuse_port_available(), reason="no SO_REUSEPORT on this platform")
def test_rasad_serve_with_workers_on_a_port_in_use_is_e504(tmp_path: object) -> None:
    from pathlib import Path

    from rasad.io.store import Store

    db = Path(str(tmp_path)) / "rasad.db"
    Store(db).close()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--db", str(db), "--port", str(port),
                                     "--workers", "2"])
    assert result.exit_code != 0
    assert "E504" in result.output
