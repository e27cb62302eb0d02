"""The README documents every command, every setting, every error code and the two commands."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from rasad.cli import app
from rasad.errors import __doc__ as errors_doc
from rasad.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
CI = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")


def _command_paths(typer_app: typer.Typer, prefix: str = "rasad") -> list[str]:
    paths = []
    for command in typer_app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        paths.append(f"{prefix} {name.replace('_', '-')}")
    for group in typer_app.registered_groups:
        sub = group.typer_instance
        assert sub is not None
        name = group.name if isinstance(group.name, str) else sub.info.name
        assert isinstance(name, str), "a command group without a name"
        paths.extend(_command_paths(sub, f"{prefix} {name}"))
    return paths


def test_docs_readme_documents_every_command() -> None:
    missing = [p for p in _command_paths(app) if f"`{p}" not in README]
    assert not missing, f"commands missing from README: {missing}"


def test_docs_readme_documents_every_setting() -> None:
    missing = [name for name in Settings.model_fields if f"`{name}`" not in README]
    assert not missing, f"settings missing from README: {missing}"


def test_docs_readme_documents_every_error_code() -> None:
    codes = sorted(set(re.findall(r"E\d{3}", errors_doc or "")))
    missing = [code for code in codes if f"| {code} |" not in README]
    assert not missing, f"error codes missing from README: {missing}"


def test_docs_readme_two_commands_match_ci() -> None:
    blocks = re.findall(r"```bash\n(.*?)\n```", README, flags=re.S)
    assert any("rasad extract ../shared/data/seed/sina_prison_opinion.jsonl" in b
               for b in blocks), "the install-and-run command is missing"
    test_command = next(b for b in blocks if "pytest" in b).split("&&")[-1].strip()
    assert test_command in CI, f"CI does not run the README's test command {test_command!r}"
