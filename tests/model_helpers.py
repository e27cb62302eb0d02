"""Shared check of the packaged trained models: their training script rebuilds them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def assert_script_rebuilds(script: str, model_file: str, shared_dir: Path, tmp_path: Path,
                           *options: str) -> None:
    """Run `scripts/<script>` from `shared_dir` into `tmp_path`, and check it wrote the packaged
    `model_file` byte for byte."""
    out = tmp_path / model_file
    subprocess.run([sys.executable, str(ROOT / "scripts" / script), "--shared", str(shared_dir),
                    "--out", str(out), *options], check=True, capture_output=True, cwd=ROOT)
    packaged = ROOT / "src/rasad/data" / model_file
    assert json.loads(out.read_text(encoding="utf-8")) == \
        json.loads(packaged.read_text(encoding="utf-8"))
    assert out.read_bytes() == packaged.read_bytes()
