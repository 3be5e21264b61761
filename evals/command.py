"""`qa eval`: the subcommand this package adds to the `qa` command (entry point group `qa.commands`),
so that `qa` never imports the evals built on it. Loading it imports nothing heavy."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Adds the eval options to a parser (`qa eval` and `python -m evals.run` share them)."""
    p.add_argument("--llm", default=None, help="LLM backend for the project: none (default: the reader's answer), embedded, openai")
    p.add_argument("--suite", choices=["mosul", "squad"], default="mosul", help="mosul: the seed articles' questions; squad: held-out SQuAD 2.0 articles")
    p.add_argument("--split", choices=["dev", "test", "calibration", "all"], default="test", help="mosul: dev, test or all; squad: test or calibration")
    p.add_argument("--out", default="evals/results/latest", help="folder for result.json, report.md, chart.png")
    p.add_argument("--previous", help="a previous result.json to compare with")
    p.add_argument("--no-peers", action="store_true", help="score only the project")
    p.add_argument("--thresholds", default=None, help="thresholds file (default evals/thresholds.toml)")


def run(args: argparse.Namespace) -> int:
    from evals.run import main

    return main(args)


def register(sub) -> None:  # type: ignore[no-untyped-def]
    """Adds `eval` to the `qa` command's subparsers."""
    p = sub.add_parser("eval", help="run the grounding evals and the peer baselines")
    add_arguments(p)
    p.set_defaults(func=run)
