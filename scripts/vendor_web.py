"""Vendor the page's front-end packages from npm into src/rasad/web/static/vendor/.

Installs the pinned packages with ``npm install`` into a temporary folder (npm is needed only
here, never by users), copies the files the page and the API docs load with each package's
licence files, and rewrites ``static/NOTICE``: one ``path | licence`` line per packaged file of
``static/`` (the page's own files are Apache-2.0), with each package's name and version.
``tests/test_web_api.py`` checks that every file under ``static/`` has its line.

    python scripts/vendor_web.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "src" / "rasad" / "web" / "static"
VENDOR = STATIC / "vendor"
PACKAGES = {
    # name: (version, files to copy from the package, licence note)
    "leaflet": ("1.9.4", ["dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png",
                          "dist/images/layers-2x.png", "dist/images/marker-icon.png",
                          "dist/images/marker-icon-2x.png", "dist/images/marker-shadow.png",
                          "LICENSE"], "BSD-2-Clause"),
    "leaflet.markercluster": ("1.5.3", ["dist/leaflet.markercluster.js",
                                        "dist/MarkerCluster.css",
                                        "dist/MarkerCluster.Default.css", "MIT-LICENCE.txt"],
                              "MIT"),
    "topojson-client": ("3.1.0", ["dist/topojson-client.min.js", "LICENSE"], "ISC"),
    "world-atlas": ("2.0.2", ["countries-50m.json", "LICENSE"],
                    "ISC (package); the outlines are Natural Earth, public domain"),
    "swagger-ui-dist": ("5.35.0", ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE",
                                   "NOTICE"], "Apache-2.0"),
}
OWN = {"index.html", "app.js", "monitor.js", "app.css", "favicon.svg", "NOTICE"}
"""The page's own files (Apache-2.0, like the code)."""


def vendor(work: Path) -> None:
    specs = [f"{name}@{version}" for name, (version, _, _) in PACKAGES.items()]
    (work / "package.json").write_text('{"private": true}', encoding="utf-8")
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", *specs],
                   cwd=work, check=True)
    shutil.rmtree(VENDOR, ignore_errors=True)
    for name, (version, files, _) in PACKAGES.items():
        source = work / "node_modules" / name
        meta = json.loads((source / "package.json").read_text(encoding="utf-8"))
        if meta["version"] != version:
            raise SystemExit(f"{name}: npm gave {meta['version']}, expected {version}")
        for relative in files:
            target = VENDOR / name / relative.removeprefix("dist/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / relative, target)


def write_notice() -> None:
    lines = [
        "The page of rasad serve (rasad/web/static/)",
        "",
        "The page's own files are Apache-2.0 (the project's licence). The front-end packages",
        "under vendor/ are copied unchanged from npm by scripts/vendor_web.py, each with its",
        "licence file:",
        "",
    ]
    for name, (version, _, licence) in PACKAGES.items():
        lines.append(f"  {name} {version} (npm): {licence}")
    lines += ["", "Licence of every packaged data file", ""]
    paths = {p.relative_to(STATIC).as_posix() for p in STATIC.rglob("*") if p.is_file()}
    for relative in sorted(paths | {"NOTICE"}):
        if relative in OWN:
            licence = "Apache-2.0"
        else:
            package = relative.split("/")[1]
            version, _, note = PACKAGES[package]
            licence = f"{note} ({package} {version})"
        lines.append(f"  {relative} | {licence}")
    (STATIC / "NOTICE").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        vendor(Path(work))
    write_notice()
    print(f"vendored {len(PACKAGES)} packages into {VENDOR}; NOTICE rewritten")


if __name__ == "__main__":
    main()
