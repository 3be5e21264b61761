"""The benchmarks measure what they name."""

from __future__ import annotations

import os
import subprocess
import sys

from qa.settings import PROJECT_ROOT


def test_a_new_process_reports_its_own_peak_memory_not_its_parents() -> None:
    ballast = bytearray(300 * 1024 * 1024)  # 300 MB resident in this (the parent) process
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    out = subprocess.run(
        [sys.executable, "-c", "from benchmarks.scale import peak_mb; print(peak_mb())"],
        capture_output=True, text=True, check=True, env=dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)),
    )
    assert float(out.stdout.strip()) < 150, out.stdout  # ru_maxrss here reads at least 300: the parent's size at the fork
    del ballast
