"""The small trained models the package ships: a logistic regression read from a JSON file.

Several decisions are learnt rather than written as rules (is this a real event,
`rasad.extract.eventmodel`; are two events one incident told twice, `rasad.extract.mergemodel`;
is this gazetteer name a place here, `rasad.geo.toponymmodel`).  Each is a `LogisticModel` over
abstract features, trained by a script under ``scripts/`` and shipped as JSON under
``rasad/data``; this module holds the model and the reading of the packaged files, below the
stages that use them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from rasad.errors import ConfigError


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """A logistic regression over named features; `threshold` is the cut the training chose."""

    bias: float
    weights: Mapping[str, float]
    threshold: float
    info: Mapping[str, Any]

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {"bias": self.bias, "threshold": self.threshold,
                "weights": dict(sorted(self.weights.items())), "info": dict(self.info)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], name: str) -> LogisticModel:
        """The model of a JSON object `to_json` wrote (`name`: its file, for the error)."""
        try:
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            return cls(float(data["bias"]), weights, float(data["threshold"]),
                       dict(data.get("info") or {}))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(f"{name} is malformed: {exc}", code="E503") from exc


def packaged_json(file: str) -> Any | None:
    """The JSON of the file `file` of ``rasad/data``, or None when it is not installed."""
    path = resources.files("rasad.data").joinpath(file)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def load_logistic_model(file: str) -> LogisticModel | None:
    """The packaged model of `file` (``rasad/data``), read once per process; None when the file
    is not installed."""
    data = packaged_json(file)
    return None if data is None else LogisticModel.from_json(data, file)
