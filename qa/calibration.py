"""The thresholds by which evidence is judged, fitted on the dev split of the eval questions only
(`python -m evals.calibrate`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Calibration:
    """Thresholds fitted on dev questions."""

    min_relevance: float = 0.45  # below it, the best passage does not answer
    min_coverage: float = 0.5  # share of the question's weighted terms the passage must hold
    conflict_margin: float = 0.15  # a passage within this of the best can be a conflicting side
    dense_weight: float = 0.5  # relevance = w * dense + (1 - w) * coverage
    min_fit: float = 0.0  # share of question terms the typed value's own clause must hold
    max_missing: float = 1.0  # the heaviest absent question term may weigh at most this share
    side_fit: float = 1.01  # a passage whose value fits this well is a side of a conflict however the best scores
    rank_by: str = "relevance"  # which passage answers among the relevant ones: relevance, bm25 or fused
    name_fallback: float = 1.01  # a who-question's best passage with this coverage answers even with no name in it
    place_fallback: float = 1.01  # and a where-question's
    verb_fit: float = 0.0  # "how many X did V", "when did X V": a number or date whose sentence lacks V, or a word
    # this close to it, is said of something else
    probe_fit: float = 1.01  # a passage found by searching for a conflict side's passage, whose value is said in
    # this share of the same words (`same_statement`), gives that side's value too
    gate: tuple[float, ...] = ()  # logistic weights (intercept first) over `gate_features` of the answering passage
    gate_min: float = 0.0  # an answer whose passage scores below this is refused (questions with a conflict excepted)

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> Calibration:
        """Returns the stored calibration, or the defaults when there is none."""
        if path.exists():
            stored = json.loads(path.read_text())
            return cls(**stored | {"gate": tuple(stored.get("gate", ()))})
        return cls()
