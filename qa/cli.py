"""The `qa` command: index articles, ask questions, run the evals, start the web UI."""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import logging
import os
import re
import sys
import textwrap
import threading
from importlib.metadata import entry_points
from pathlib import Path

from qa.settings import go_offline

EXAMPLES = """\
examples:
  qa index                               index seeds/ (what `qa ask` also does on first use)
  qa index ~/articles report.md          add your own .txt/.md/.html/.docx/.pdf files or folders
  qa ask "How old is the Grand al-Nuri Mosque?"
  qa ask "How many people were displaced?" --json --llm none
  qa docs list
  qa eval --suite mosul --split test --out evals/results/mosul
  qa eval --suite squad --out evals/results/squad
  qa ui --port 7860

settings come from QA_* environment variables (e.g. QA_LLM, QA_CHROMA_URL, QA_INDEX_DIR);
see README.md.
"""


def _settings(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Returns the settings: QA_* variables, overridden by --llm and --top-k (range-checked like them)."""
    from qa.settings import Settings

    return Settings(**{k: v for k in ("llm", "top_k") if (v := getattr(args, k, None)) is not None})


def cmd_index(args: argparse.Namespace) -> int:
    from index.build import build_index
    from index.embed import get_embedder

    settings = _settings(args)
    paths = [Path(p) for p in args.paths] or [settings.seeds_dir]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"qa index: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    seeds = settings.seeds_dir.resolve()
    embedder = get_embedder(settings.embedder)
    reports = []
    try:
        for hashed in (False, True):  # seeds keep their file stems as ids; a user's files get name-and-content ids
            if group := [p for p in paths if (p.resolve() != seeds) == hashed]:
                reports.append(build_index(
                    settings.store_config(), embedder, group, progress=not args.quiet, prune=True, hashed_ids=hashed,
                    max_bytes=settings.max_file_bytes, wait=not args.no_wait,
                ))
    except RuntimeError as exc:
        print(f"qa index: {exc}", file=sys.stderr)
        return 1
    report = functools.reduce(lambda a, b: a.merged(b), reports)
    for s in report.skipped:
        print(f"skipped {s.path}: {s.reason}", file=sys.stderr)
    print(f"{report.summary()} ({settings.store_config().describe()})")
    if report.skipped:  # the rest is indexed, but a script must see that not everything was
        n = len(report.skipped)
        print(f"qa index: {n} file{'s were' if n > 1 else ' was'} refused (see above)", file=sys.stderr)
        return 1
    return 0


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _shown(text: str) -> str:
    """Returns document text fit for a terminal: control characters (ANSI escapes, BEL) dropped. JSON
    output keeps the exact text."""
    return _CONTROL.sub("", text)


def _verbatim(text: str, indent: str, width: int) -> str:
    """Returns a quote's text wrapped under a bar: no quotation marks are added, so a quote that opens
    with its own (“There is still ...) reads as the article prints it."""
    return textwrap.indent(textwrap.fill(_shown(text), width - len(indent) - 2), indent + "│ ")


def _print_answer(a, width: int = 100) -> None:  # type: ignore[no-untyped-def]
    print(textwrap.fill(_shown(a.text), width))
    if a.reliability_text:
        print(textwrap.fill(a.reliability_text, width))
    if a.quotes:
        print()
    for i, q in enumerate(a.quotes, 1):
        print(f"[{i}] {_shown(q.title)}  ({q.doc_id}, {_shown(q.where)})")
        print(_verbatim(q.text, "    ", width))
    if a.nearest:
        print("\nNearest passages (they do not answer the question):")
        for q in a.nearest:
            print(f"  - {_shown(q.title)} ({q.doc_id}, {_shown(q.where)})")
            print(_verbatim(q.text, "      ", width))
    print(f"\n(mode: {a.mode}{'; ' + _shown('; '.join(a.notes)) if a.notes else ''})")


def _preload_llm(settings) -> None:  # type: ignore[no-untyped-def]
    """Starts loading the model in the background while the embedder and the index load (a cold
    `qa ask` overlaps the two); a failure is left for the answer step to report."""
    from qa.llm import get_llm

    def load() -> None:
        with contextlib.suppress(Exception):  # reported by the answer step, which loads it again
            get_llm(settings.llm, settings)

    threading.Thread(target=load, name="llm-preload", daemon=True).start()


def cmd_ask(args: argparse.Namespace) -> int:
    from qa import get_engine
    from qa.llm import LLMError

    question = " ".join(args.question)
    if not question.strip():
        print("qa ask: the question is empty: ask something about the indexed articles", file=sys.stderr)
        return 2
    settings = _settings(args)
    _preload_llm(settings)
    try:
        a = get_engine(settings).answer(question)
    except (LLMError, ConnectionError) as exc:
        print(f"qa ask: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(a.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_answer(a)
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from index.build import remove_document
    from index.store import VectorStore

    settings = _settings(args)
    config = settings.store_config()
    if args.action == "list":
        store = VectorStore(config)
        docs = store.docs(texts=False)
        sizes = store.sizes(docs)
        if not docs:
            print(f"no documents indexed in {config.describe()} (run: qa index)")
        for d in sorted(docs.values(), key=lambda d: d.doc_id):
            print(f"{d.doc_id}\t{d.date or '-'}\t{_shown(d.author) or '-'}\t{d.n_units} units\t{sizes.get(d.doc_id, 0)} bytes\t{_shown(d.title)}")
        return 0
    try:
        remove_document(config, args.doc_id)
    except KeyError as exc:
        print(f"qa docs remove: {exc.args[0]}", file=sys.stderr)
        return 2
    print(f"removed {args.doc_id}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Returns the argument parser of the `qa` command."""
    p = argparse.ArgumentParser(
        prog="qa",
        description="Grounded answers from news articles: every claim backed by a verbatim quote.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("index", help="index seeds/ or the given files and folders (.txt, .md, .html, .docx, .pdf)")
    s.add_argument("paths", nargs="*", help="files or folders (default: seeds/)")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    s.add_argument("--no-wait", action="store_true", help="refuse instead of waiting when another process is indexing")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("ask", help="answer a question with quotes")
    s.add_argument("question", nargs="+", help="the question (quote it)")
    s.add_argument("--json", action="store_true", help="print the answer as JSON")
    s.add_argument("--llm", choices=None, help="LLM backend: none (default: the reader's answer), embedded, openai")
    s.add_argument("--top-k", type=int, help="evidence passages handed to the answer step (default 4)")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("docs", help="list (id, date, author, units, bytes, title) or remove indexed documents")
    s.add_argument("action", choices=["list", "remove"])
    s.add_argument("doc_id", nargs="?", help="document id (for remove)")
    s.set_defaults(func=cmd_docs)

    for command in sorted(entry_points(group="qa.commands"), key=lambda e: e.name):
        command.load()(sub)  # `qa eval`, `qa ui`: declared by the packages built on qa, which qa never imports
    return p


def main(argv: list[str] | None = None) -> int:
    """Runs the command line; returns the exit code."""
    go_offline()
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "docs" and args.action == "remove" and not args.doc_id:
        parser.error("qa docs remove needs a document id (see: qa docs list)")
    try:
        return int(args.func(args))
    except ValueError as exc:
        print(f"qa {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # (a ConnectionError too: caught first)
        # the reader stopped reading (`qa ask ... | head`): nothing left to say, and Python's own
        # flush at exit must not fail on the closed pipe either
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except ConnectionError as exc:  # the Chroma server named by the settings does not answer
        print(f"qa {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
