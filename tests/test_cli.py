"""The `qa` command in a real subprocess (fast settings through QA_* variables)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli import _print_answer
from qa.types import Answer, Quote


@pytest.fixture
def env(tmp_path: Path, seeds_copy: Path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    e.update(QA_INDEX_DIR=str(tmp_path / "index"), QA_SEEDS_DIR=str(seeds_copy), QA_EMBEDDER="hashing", QA_LLM="none")
    return e


def qa(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], env=env, capture_output=True, text=True, timeout=300)


def test_help_lists_the_commands(env: dict[str, str]) -> None:
    out = qa(env, "--help")
    assert out.returncode == 0
    for word in ("index", "ask", "eval", "ui", "docs", "QA_"):
        assert word in out.stdout


def test_index_then_ask_json_with_exact_quotes(env: dict[str, str], seeds_copy: Path) -> None:
    out = qa(env, "index", "--quiet")
    assert out.returncode == 0 and "5 added" in out.stdout
    again = qa(env, "index", "--quiet")
    assert "5 unchanged" in again.stdout and "0 units written" in again.stdout
    out = qa(env, "ask", "How many civilians remain in the battlefield?", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"text", "quotes", "abstained", "conflicts", "mode"}
    for q in data["quotes"]:
        text = (seeds_copy / f"{q['doc_id']}.txt").read_text()
        assert text[q["start"] : q["end"]] == q["text"]


def test_ask_prints_answer_then_numbered_quotes(env: dict[str, str]) -> None:
    out = qa(env, "ask", "How many civilians remain in the battlefield?")
    assert out.returncode == 0
    assert "[1]" in out.stdout and "chars" in out.stdout and "(mode: extractive" in out.stdout


def test_empty_question_exits_2_with_a_message(env: dict[str, str]) -> None:
    out = qa(env, "ask", "   ")
    assert out.returncode == 2 and "empty" in out.stderr


def test_a_reader_that_stops_reading_gets_no_traceback(env: dict[str, str]) -> None:
    # `qa ask ... | head -3`: the pipe closes before the answer is written
    p = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "ask", "How many civilians remain in the battlefield?"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert p.stdout is not None and p.stderr is not None
    p.stdout.close()
    err = p.stderr.read()
    assert p.wait(timeout=300) == 141 and "Traceback" not in err, err


def test_docs_list_and_remove(env: dict[str, str]) -> None:
    qa(env, "index", "--quiet")
    out = qa(env, "docs", "list")
    assert out.stdout.count("\n") == 5 and "units" in out.stdout
    assert "001_2da0e51576e3339f\t2017-06-29\tMelinda Barton\t22 units\t" in out.stdout  # its byline's date and author
    assert qa(env, "docs", "remove", "002_b2a41a671c8b55e0").returncode == 0
    assert "002_b2a41a671c8b55e0" not in qa(env, "docs", "list").stdout
    bad = qa(env, "docs", "remove", "nope")
    assert bad.returncode == 2 and "qa docs list" in bad.stderr


def test_index_reports_skipped_files(env: dict[str, str], tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00bad")  # binary (\xff\xfe would now read as UTF-16)
    (extra / "good.md").write_text("# Good\n\nA fine note.\n")
    out = qa(env, "index", "--quiet", str(extra))
    assert out.returncode == 1 and "1 added" in out.stdout  # the good file is indexed; the exit says one was not
    assert "bad.txt" in out.stderr and "1 file was refused" in out.stderr


def test_missing_path_exits_2(env: dict[str, str]) -> None:
    out = qa(env, "index", "/no/such/folder")
    assert out.returncode == 2 and "no such file" in out.stderr


def test_a_quote_is_printed_verbatim_without_added_marks(capsys: pytest.CaptureFixture[str]) -> None:
    said = "“There is still tough fighting to go,” Col. Joseph Scrocca told CNN."
    _print_answer(Answer("q", "Tough fighting [1].", quotes=(Quote("004_x", "Drone footage", 10, 10 + len(said), said),)))
    out = capsys.readouterr().out
    assert "│ “There is still tough fighting to go,” Col. Joseph Scrocca told CNN." in out
    assert "““" not in out and "CNN.”" not in out


def test_a_quotes_author_reaches_the_terminal_without_control_characters(capsys: pytest.CaptureFixture[str]) -> None:
    _print_answer(Answer("q", "X [1].", quotes=(Quote("d", "T", 0, 1, "x", date="2017-06-29", author="Mel\x1b[31minda\x07 Barton"),)))
    assert "[1] T  (d, Mel[31minda Barton, 2017-06-29, chars 0–1)" in capsys.readouterr().out


def test_the_answers_reliability_is_printed_under_it(capsys: pytest.CaptureFixture[str]) -> None:
    _print_answer(Answer("q", "Tough fighting [1].", reliability=0.42))
    assert capsys.readouterr().out.splitlines()[:2] == ["Tough fighting [1].", "On held-out articles, 42% of answers scored like this one were right."]


def test_an_unknown_or_mistyped_setting_is_refused_with_the_closest_name(env: dict[str, str]) -> None:
    out = qa(dict(env, QA_TOPK="3"), "ask", "How many civilians remain?")
    assert out.returncode == 2 and "unknown setting QA_TOPK; did you mean QA_TOP_K?" in out.stderr, out.stderr
    out = qa(dict(env, QA_CHROMA_ULR="http://127.0.0.1:8000"), "docs", "list")
    assert out.returncode == 2 and "QA_CHROMA_URL" in out.stderr, out.stderr


def test_numeric_settings_and_options_are_range_checked(env: dict[str, str]) -> None:
    out = qa(dict(env, QA_MAX_FILE_MB="inf"), "index", "--quiet")
    assert out.returncode == 2 and "QA_MAX_FILE_MB='inf'" in out.stderr and "Traceback" not in out.stderr, out.stderr
    out = qa(env, "ask", "How many civilians remain?", "--top-k", "0")
    assert out.returncode == 2 and "QA_TOP_K=0" in out.stderr, out.stderr


def test_the_ui_refuses_a_host_others_can_reach_unless_allowed(env: dict[str, str]) -> None:
    from ui.command import loopback

    out = qa(env, "ui", "--host", "0.0.0.0")
    assert out.returncode == 2 and "--allow-remote" in out.stderr
    assert [loopback(h) for h in ("127.0.0.1", "::1", "localhost", "0.0.0.0", "192.168.1.5", "example.org")] == [True, True, True, False, False, False]


def test_terminal_output_drops_control_characters_but_json_keeps_them(env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "esc"
    folder.mkdir()
    (folder / "alarm.txt").write_text("Alarm \x1b[31mRED\x1b[0m bell\x07 report.\nThe ferry resumed service at midnight.\n")
    assert qa(env, "index", "--quiet", str(folder)).returncode == 0
    listed = qa(env, "docs", "list")
    assert "Alarm [31mRED[0m bell report." in listed.stdout and "\x1b" not in listed.stdout and "\x07" not in listed.stdout
    shown = qa(env, "ask", "--json", "When did the ferry resume service?")
    assert "\\u001b" in shown.stdout or "\x1b" in shown.stdout  # the exact text in JSON


def test_skips_are_printed_once_and_bad_folders_are_named(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "nul.txt").write_bytes(b"a\x00b")
    out = qa(env, "index", "--quiet", str(tmp_path / "bad"))
    assert out.returncode == 1 and out.stderr.count("nul.txt") == 1
    (tmp_path / "afile").write_text("x")
    out = qa(env | {"QA_INDEX_DIR": str(tmp_path / "afile")}, "docs", "list")
    assert out.returncode == 2 and "QA_INDEX_DIR" in out.stderr and "not a folder" in out.stderr and "Traceback" not in out.stderr
    out = qa(env | {"QA_INDEX_DIR": str(tmp_path / "new"), "QA_SEEDS_DIR": str(tmp_path / "missing")}, "ask", "When?")
    assert out.returncode == 2 and "QA_SEEDS_DIR" in out.stderr and "Traceback" not in out.stderr
