"""Presenting eval results: a terminal table, a Markdown report, a PNG chart, a diff."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evals.compare import answerable_outcomes, paired, verdict, wilson

SHOWN = [
    ("accuracy", "accuracy"),
    ("citation_recall", "cite recall"),
    ("citation_precision", "cite precision"),
    ("quote_verbatim", "verbatim"),
    ("quote_offsets", "offsets"),
    ("abstention_precision", "abst. prec"),
    ("abstention_recall", "abst. recall"),
    ("false_abstention", "false abst."),
    ("conflict_recall", "conflicts"),
    ("false_conflict", "false confl."),
    ("answered_right", "answ. right"),
    ("reliability_stated", "stated"),
    ("recall@5", "recall@5"),
    ("mrr", "MRR"),
    ("answer_words", "words"),
    ("latency_p50", "p50 s"),
    ("latency_p95", "p95 s"),
]


def fmt(v: Any) -> str:
    """Returns a metric value for a table cell."""
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}" if v < 10 else f"{v:.1f}"
    return str(v)


def table(rows: list[tuple[str, dict[str, Any]]], markdown: bool = False) -> str:
    """Returns rows of (label, metrics) as an aligned text table or a Markdown table."""
    head = ["", "n"] + [h for _, h in SHOWN]
    body = [[label, fmt(m.get("n"))] + [fmt(m.get(k)) for k, _ in SHOWN] for label, m in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in body]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]
    return "\n".join("  ".join(str(x).rjust(w) for x, w in zip(r, widths, strict=True)) for r in [head, *body])


def per_kind_rows(summary: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Returns the per-kind rows then the overall row."""
    return [(k, m) for k, m in summary["per_kind"].items()] + [("overall", summary["overall"])]


def diff_rows(now: dict[str, Any], before: dict[str, Any]) -> str:
    """Returns a Markdown table of overall metric changes per system."""
    lines = ["| system | metric | before | now | change |", "|---|---|---|---|---|"]
    for name, sys_now in now["systems"].items():
        prev = before.get("systems", {}).get(name)
        if not prev:
            continue
        for key, label in SHOWN:
            a, b = prev["summary"]["overall"].get(key), sys_now["summary"]["overall"].get(key)
            if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a != b:
                lines.append(f"| {name} | {label} | {fmt(a)} | {fmt(b)} | {b - a:+.3f} |")
    return "\n".join(lines) if len(lines) > 2 else "No metric changed."


def _share(label: str, k: int, n: int) -> str:
    lo, hi = wilson(k, n)
    return f"{label} {k}/{n} = {k / n:.3f} (95% interval {lo:.2f}-{hi:.2f})"


def accuracy_line(name: str, items: list[dict[str, Any]]) -> str:
    """Returns a system's accuracy, and its abstention recall where some question has no answer, each with its
    95% interval: how far a few dozen questions pin it down (5 of 8 refused is anywhere from 0.31 to 0.86)."""
    right = answerable_outcomes(items)
    refused = [bool(it["correct"]) for it in items if it["kind"] == "unanswerable"]  # right = abstained
    parts = [_share("accuracy", sum(right.values()), len(right)) if right else "no answerable question"]
    if refused:
        parts.append(_share("abstention recall", sum(refused), len(refused)))
    return f"{name}: " + "; ".join(parts)


def peer_lines(result: dict[str, Any]) -> list[str]:
    """Returns, for the project and each peer, its accuracy interval, then the paired comparison of the
    project with each peer on the same questions."""
    systems = result["systems"]
    lines = [accuracy_line(name, s["items"]) for name, s in systems.items()]
    for name, s in systems.items():
        if name != "project":
            lines.append(verdict(paired(systems["project"]["items"], s["items"]), "project", name))
    return lines


def changed_questions(now: dict[str, Any], before: dict[str, Any]) -> list[str]:
    """Returns Markdown lines naming the project's answerable questions that turned right or wrong
    since `before`, and whether the change could be luck."""
    prev = before.get("systems", {}).get("project")
    if not prev:
        return ["The previous result has no project run."]
    items = now["systems"]["project"]["items"]
    pair = paired(items, prev["items"])
    asked = {it["id"]: it["question"] for it in items}
    lines = [verdict(pair, "this run", "the previous run"), ""]
    for label, ids in (("Now right", pair.ids_a), ("Now wrong", pair.ids_b)):
        lines += [f"- {label}: {i} {asked[i]}" for i in ids]
    return lines


def chart(result: dict[str, Any], path: Path) -> None:
    """Writes a PNG: per-kind accuracy of the project, and grounding metrics of every system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = result["systems"]
    project = systems["project"]["summary"]
    kinds = [k for k, m in project["per_kind"].items() if m.get("accuracy") is not None]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.8))
    width = 0.8 / max(1, len(systems))
    for i, (name, sysres) in enumerate(systems.items()):
        accs = [sysres["summary"]["per_kind"].get(k, {}).get("accuracy") or 0.0 for k in kinds]
        ax1.bar([x + i * width for x in range(len(kinds))], accs, width, label=name)
    ax1.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(kinds))], kinds, rotation=30, ha="right")
    ax1.set_ylim(0, 1.05)
    ax1.set_title(f"Answer accuracy per kind ({result.get('suite', 'mosul')} suite, {result['split']} split)")
    ax1.legend(fontsize=8)
    metrics = [
        ("accuracy", "accuracy"),
        ("citation_precision", "cite prec."),
        ("citation_recall", "cite recall"),
        ("quote_verbatim", "verbatim"),
        ("abstention_recall", "abst. recall"),
        ("abstention_precision", "abst. prec."),
        ("conflict_recall", "conflicts"),
    ]
    for i, (name, sysres) in enumerate(systems.items()):
        vals = [sysres["summary"]["overall"].get(k) or 0.0 for k, _ in metrics]
        ax2.bar([x + i * width for x in range(len(metrics))], vals, width, label=name)
    ax2.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(metrics))], [m for _, m in metrics], rotation=30, ha="right")
    ax2.set_ylim(0, 1.05)
    ax2.set_title("Grounding metrics, overall")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _legacy_lines(result: dict[str, Any]) -> list[str]:
    """The rule-based engine's figures on the same suite, scored once (evals/legacy.py), when there are any."""
    legacy = result.get("legacy")
    if not legacy:
        return []
    return [
        f"The rule-based engine the reader replaced (commit {legacy['commit']}, llm `{legacy['llm']}`, {legacy['n_items']} questions), scored once:",
        "",
        table([(f"rules@{legacy['commit']}", legacy["overall"])], markdown=True),
        "",
    ]


def markdown(result: dict[str, Any], checks: list[tuple[str, bool, str]], previous: dict[str, Any] | None) -> str:
    """Returns the Markdown report."""
    parts = [
        f"# Grounding eval — {result.get('suite', 'mosul')} suite, {result['split']} split",
        "",
        f"{result['n_items']} questions; project LLM backend `{result['llm']}`; "
        f"run {result['started']} on {result['machine']}.",
        "",
        "## Side by side (overall)",
        "",
        table([(name, s["summary"]["overall"]) for name, s in result["systems"].items()], markdown=True),
        "",
        *_legacy_lines(result),
        "## Project, per kind",
        "",
        table(per_kind_rows(result["systems"]["project"]["summary"]), markdown=True),
        "",
        "## Question by question",
        "",
        "Every system is asked the same questions: the ones only one of two gets right tell them apart.",
        "",
        *[f"- {line}" for line in peer_lines(result)],
        "",
        "## Checks",
        "",
    ]
    parts += [f"- {'PASS' if ok else 'FAIL'} {name}: {detail}" for name, ok, detail in checks]
    if previous is not None:
        parts += ["", "## Change from the previous result", "", diff_rows(result, previous), "", *changed_questions(result, previous)]
    parts += ["", "![chart](chart.png)", ""]
    return "\n".join(parts)
