"""`qa ui`: the subcommand this package adds to the `qa` command (entry point group `qa.commands`),
so that `qa` never imports the UI built on it. Loading it imports nothing heavy (Gradio loads on use)."""

from __future__ import annotations

import argparse
import ipaddress
import sys


def loopback(host: str) -> bool:
    """Returns True when `host` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name or an address of an interface others can reach


def run(args: argparse.Namespace) -> int:
    from qa import Settings
    from ui.app import serve

    if not loopback(args.host):
        if not args.allow_remote:
            print(f"qa ui: --host {args.host} lets anyone who reaches this machine ask, upload and remove documents "
                  "(the UI has no authentication); add --allow-remote to do it anyway, or keep the default 127.0.0.1", file=sys.stderr)
            return 2
        print(f"qa ui: warning: serving on {args.host} without authentication: anyone who reaches it can upload and remove documents",
              file=sys.stderr)
    serve(Settings(**({"llm": args.llm} if args.llm else {})), host=args.host, port=args.port)
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    """Adds `ui` to the `qa` command's subparsers."""
    p = sub.add_parser("ui", help="start the web UI (127.0.0.1:7860)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--allow-remote", action="store_true", help="allow a --host other machines can reach (no authentication: use behind your own)")
    p.add_argument("--llm", default=None, help="LLM backend: none (default: the reader's answer), embedded, openai")
    p.set_defaults(func=run)
