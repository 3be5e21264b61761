"""The reader's thresholds, fitted on held-out articles by `python -m evals.calibrate`.

One family of thresholds on the reader's margin (a span's score minus its window's no-answer
score): `answer` decides whether anything answers, `side` whether another document's own best
span is confident enough to count as agreeing with the answer or as another side of it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Calibration:
    """Margin thresholds (see the module docstring) and where they were fitted."""

    answer: float = 0.0  # the best span answers when its margin is at least this
    side: float = 0.0  # another document's best span counts (agreeing, or a side) at this margin
    fitted_on: str = "defaults"

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> Calibration:
        """Returns the stored calibration, or the defaults when there is none."""
        if path.exists():
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        return cls()

    def save(self, path: Path = CALIBRATION_FILE) -> None:
        """Writes the thresholds as JSON."""
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
