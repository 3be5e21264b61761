"""The answering pipeline on crafted articles with fast fakes (hashing embedder, a fake reader, a scripted LLM).

The fake reader finds exactly the answers a test gives it, with the margin given: what is tested is
what the engine does with spans (offsets, quotes, abstention, agreement and conflicts, the model
path), not how well a model reads. The real reader is tested in test_reader.py.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import pytest

from index.build import build_index
from qa.decide import Calibration
from qa.engine import Engine
from qa.llm import LLMError, register_llm
from qa.read import Span
from qa.settings import Settings


class FakeReader:
    """A test reader: each known answer where it occurs in a passage, with the margin given for it.

    It can make a test fail: a passage holding none of the answers gets no span.
    """

    def __init__(self, answers: dict[str, float], wider: dict[str, tuple[str, float]] | None = None) -> None:
        self.answers = dict(answers)
        self.wider = dict(wider or {})  # answer -> a span holding it and that span's margin
        self.questions: list[str] = []

    def _span(self, text: str, i: int, answer: str, margin: float) -> Span:
        wide, m = self.wider.get(answer, ("", 0.0))
        j = text.find(wide) if wide else -1
        return Span(i, i + len(answer), answer, margin, ((j, j + len(wide), m),) if j >= 0 else ())

    def read(self, question: str, passages: Sequence[str], top_n: int = 3) -> list[list[Span]]:
        """Returns, for each passage, the known answers it holds (first occurrence each), best first."""
        self.questions.append(question)
        out: list[list[Span]] = []
        for text in passages:
            found = [self._span(text, i, a, m) for a, m in self.answers.items() if (i := text.find(a)) >= 0]
            out.append(sorted(found, key=lambda s: -s.margin)[:top_n])
        return out


CAL = Calibration(answer=1.0, side=2.0)


class ScriptedLLM:
    """A fake model that answers with whatever the test set; it can make a test fail."""

    name = "scripted"
    reply = ""
    seen: list[str] = []

    def __init__(self, settings: Settings) -> None:
        pass

    def answer(self, question: str, evidence: list[str]) -> str:
        ScriptedLLM.seen = list(evidence)
        return ScriptedLLM.reply


class BrokenLLM:
    """A model whose every call fails, as a context overflow or a dead server does."""

    name = "broken"

    def __init__(self, settings: Settings) -> None:
        pass

    def answer(self, question: str, evidence: list[str]) -> str:
        raise ValueError("Requested tokens (2438) exceed context window of 2048")


register_llm("scripted", ScriptedLLM)
register_llm("broken", BrokenLLM)

ARTICLES = {
    "bridge_a.txt": "Town news\n\nThe Blue Bridge over the river Vell is 120 years old, the town council said.\n"
    "Mayor Anna Kowal opened the new footpath on Tuesday.\n",
    "bridge_b.txt": "Regional report\n\nEngineers say the Blue Bridge over the river Vell is 95 years old.\n"
    "Repairs will cost 2 million euros.\n",
    "market.txt": "Market day\n\nThe fish market opens at six every Friday morning.\n",
}


def _engine(tmp_path: Path, articles: dict[str, str], answers: dict[str, float], wider: dict[str, tuple[str, float]] | None = None) -> Engine:
    """Returns an engine (hashing embedder, no model) over the articles, whose reader finds `answers`
    (and the `wider` spans holding them)."""
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for name, text in articles.items():
        (docs / name).write_text(text)
    settings = Settings(index_dir=tmp_path / "index", seeds_dir=docs, embedder="hashing", llm="none")
    return Engine(settings, reader=FakeReader(answers, wider), calibration=CAL)


def _check_quotes(engine: Engine, answer) -> None:  # type: ignore[no-untyped-def]
    for q in list(answer.quotes) + list(answer.nearest):
        text = engine.corpus.doc_text(q.doc_id)
        assert text[q.start : q.end] == q.text
        if q.answer_start is not None:
            assert q.start <= q.answer_start < q.answer_end <= q.end  # type: ignore[operator]


def test_the_best_span_answers_and_its_sentence_is_the_quote_with_the_span_marked(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"2 million euros": 6.0, "Tuesday": 1.5})
    a = engine.answer("How much will the repairs cost?")
    assert not a.abstained and a.text == "2 million euros [1]."
    q = a.quotes[0]
    assert q.doc_id == "bridge_b" and q.text == "Repairs will cost 2 million euros."
    doc = engine.corpus.doc_text("bridge_b")
    assert doc[q.answer_start : q.answer_end] == "2 million euros"  # type: ignore[misc]
    _check_quotes(engine, a)


def test_a_span_reads_as_the_span_holding_it_that_scores_within_the_calibrated_widening(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"2 million euros": 6.0}, wider={"2 million euros": ("cost 2 million euros", 5.5)})
    assert engine.answer("How much will the repairs cost?").text == "2 million euros [1]."  # widen 0: as read
    engine.calibration = Calibration(answer=1.0, side=2.0, widen=0.25)
    assert engine.answer("How much will the repairs cost?").text == "2 million euros [1]."  # 0.5 under: too far
    engine.calibration = Calibration(answer=5.8, side=2.0, widen=0.5)
    a = engine.answer("How much will the repairs cost?")
    assert a.text == "Cost 2 million euros [1]."  # it answers on its own margin (6.0 over 5.8), not the wider one's
    doc = engine.corpus.doc_text("bridge_b")
    assert doc[a.quotes[0].answer_start : a.quotes[0].answer_end] == "cost 2 million euros"  # type: ignore[misc]
    _check_quotes(engine, a)


def test_an_answer_carries_the_held_out_reliability_of_its_margin(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"2 million euros": 6.0})
    assert engine.answer("How much will the repairs cost?").reliability is None  # none measured
    engine.calibration = Calibration(answer=1.0, side=2.0, reliability=((1.0, 0.2), (5.0, 0.6), (8.0, 0.9)))
    assert engine.answer("How much will the repairs cost?").reliability == 0.6
    engine.reader = FakeReader({"2 million euros": 9.5})
    assert engine.answer("How much will the repairs cost?").reliability == 0.9
    engine.reader = FakeReader({"2 million euros": 0.5})
    assert engine.answer("How much will the repairs cost?").reliability is None  # an abstention


def test_no_span_over_the_threshold_abstains_and_shows_the_nearest_passages(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"Tuesday": 0.5})
    a = engine.answer("Who designed the Blue Bridge?")
    assert a.abstained and a.text.startswith("Not in the sources")
    assert not a.quotes and a.nearest and all(q.answer_start is None for q in a.nearest)
    assert any("under the calibrated" in n for n in a.notes)
    _check_quotes(engine, a)
    engine.calibration = Calibration(answer=0.4, side=2.0)  # the same span over a lower threshold answers
    assert engine.answer("Who designed the Blue Bridge?").text == "Tuesday [1]."


def test_two_documents_giving_different_numbers_are_both_sides_of_a_conflict(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"120 years": 5.0, "95 years": 4.0})
    a = engine.answer("How old is the Blue Bridge?")
    assert a.conflicts and a.conflicts[0].kind == "number"
    assert [s.value for s in a.conflicts[0].sides] == ["120 years", "95 years"]
    assert a.text == "The sources disagree: 120 years [1] versus 95 years [2]."
    assert {q.doc_id for q in a.quotes} == {"bridge_a", "bridge_b"}
    _check_quotes(engine, a)
    engine.calibration = Calibration(answer=1.0, side=4.5)  # the second document is not confident enough
    assert not engine.answer("How old is the Blue Bridge?").conflicts


@pytest.mark.parametrize(
    ("first", "second", "kind"),
    [("on 3 May", "on 9 May", "date"), ("General Arno Belt", "Colonel Ida Marsh", "text")],
)
def test_dates_and_names_that_differ_are_conflicts(tmp_path: Path, first: str, second: str, kind: str) -> None:
    engine = _engine(tmp_path, {
        "east.txt": f"East news\n\nThe assault on the Old Quarter of Dorn was led by the army {first}.\n",
        "west.txt": f"West news\n\nThe army's assault on the Old Quarter of Dorn was led {second}.\n",
    }, {first: 5.0, second: 4.0})
    a = engine.answer("When did the assault on the Old Quarter start?")
    assert a.conflicts and a.conflicts[0].kind == kind
    assert {s.doc_ids for s in a.conflicts[0].sides} == {("east",), ("west",)}
    _check_quotes(engine, a)


def test_a_different_name_needs_more_confidence_to_be_a_side_than_an_agreeing_one_to_be_cited(tmp_path: Path) -> None:
    articles = {
        "east.txt": "East news\n\nThe assault on the Old Quarter of Dorn was led by General Arno Belt.\n",
        "west.txt": "West news\n\nThe army's assault on the Old Quarter of Dorn was led by Colonel Ida Marsh.\n",
        "south.txt": "South news\n\nGeneral Belt led the assault on the Old Quarter of Dorn.\n",
    }
    engine = _engine(tmp_path, articles, {"General Arno Belt": 6.0, "Colonel Ida Marsh": 4.0, "General Belt": 3.0})
    engine.calibration = Calibration(answer=1.0, side=2.0, side_text=4.5)
    a = engine.answer("Who led the assault on the Old Quarter?")
    assert not a.conflicts and a.text == "General Arno Belt [1][2] (2 sources)."
    assert [q.doc_id for q in a.quotes] == ["east", "south"]  # agreeing at 3.0 is cited; differing at 4.0 is not shown
    engine.calibration = Calibration(answer=1.0, side=2.0, side_text=3.5)
    a = engine.answer("Who led the assault on the Old Quarter?")
    assert a.conflicts and [s.value for s in a.conflicts[0].sides] == ["General Arno Belt", "Colonel Ida Marsh"]
    _check_quotes(engine, a)


def test_numbers_and_dates_that_differ_are_sides_whatever_the_phrase_threshold(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"120 years": 5.0, "95 years": 4.0})
    engine.calibration = Calibration(answer=1.0, side=2.0, side_text=9.0)
    assert engine.answer("How old is the Blue Bridge?").conflicts


def test_documents_that_agree_are_cited_together_not_as_a_conflict(tmp_path: Path) -> None:
    engine = _engine(tmp_path, {
        "a.txt": "Port news\n\nAbout 4,000 people left the port of Dorn.\n",
        "b.txt": "Harbour report\n\nSome 4,000 residents have left Dorn's port since May.\n",
        "c.txt": "Dorn daily\n\nThe harbour master, Ida Marsh, counted the boats.\n",
    }, {"About 4,000 people": 5.0, "4,000 residents": 4.0, "Ida Marsh": 3.0})
    a = engine.answer("How many people left the port of Dorn?")
    assert not a.conflicts
    assert a.text == "About 4,000 people [1][2] (2 sources)."
    assert [q.doc_id for q in a.quotes] == ["a", "b"]  # a name is no count: Ida Marsh neither agrees nor disagrees


def test_a_range_holds_a_number_and_a_month_holds_its_days(tmp_path: Path) -> None:
    from qa.decide import same_value

    assert same_value("between 3,000 and 5,000 fighters", "4,000 fighters")
    assert not same_value("3,000 fighters", "4,000 fighters")
    assert same_value("in June 2017", "June 18, 2017") and not same_value("June 18", "June 29")
    assert same_value("Prime Minister Haider al-Abadi", "Haider al-Abadi") and not same_value("ISIS", "Iraqi forces")


def test_empty_and_wrongly_typed_questions_are_refused(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {})
    for q in ["", "   ", "\n\t"]:
        with pytest.raises(ValueError, match="empty"):
            engine.answer(q)
    with pytest.raises(TypeError, match="string"):
        engine.answer(42)  # type: ignore[arg-type]


def test_huge_undecodable_and_foreign_questions_do_not_crash(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"120 years": 5.0})
    a = engine.answer("bridge " * 20_000)
    assert any("cut" in n and "word boundary" in n for n in a.notes)
    reader = engine.reader
    assert isinstance(reader, FakeReader) and reader.questions[-1].endswith("bridge")  # cut between words
    b = engine.answer("How old is the bridge \udc80 \ud800?")
    assert isinstance(b.abstained, bool)
    c = engine.answer("¿Cuántos años tiene el puente azul? 桥有多老？")
    assert isinstance(c.abstained, bool)
    _check_quotes(engine, c)


def test_an_empty_index_says_so(tmp_path: Path) -> None:
    engine = _engine(tmp_path, {"empty.txt": "Title only\n"}, {})
    engine.corpus.docs.clear()
    a = engine.answer("How old is the bridge?")
    assert a.abstained and "qa index" in a.text


def test_a_verified_model_answer_agreeing_with_the_reader_is_shown(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"2 million euros": 6.0})
    ScriptedLLM.reply = "2 million euros [1]"
    a = engine.answer("How much will the repairs cost?", llm="scripted")
    assert a.mode == "llm" and a.text == "2 million euros [1]."
    assert ScriptedLLM.seen[0].find("Repairs will cost 2 million euros.") >= 0  # the answer's passage is [1]
    doc = engine.corpus.doc_text(a.quotes[0].doc_id)
    assert doc[a.quotes[0].answer_start : a.quotes[0].answer_end] == "2 million euros"  # type: ignore[misc]


def test_a_model_answer_with_a_planted_wrong_number_falls_back_to_the_reader(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"2 million euros": 6.0})
    ScriptedLLM.reply = "3 million euros [1]"
    a = engine.answer("How much will the repairs cost?", llm="scripted")
    assert a.mode == "extractive" and a.text == "2 million euros [1]."
    assert any("rejected" in n and "3 million" in n for n in a.notes)


def test_a_model_answer_that_disagrees_with_the_reader_is_noted_and_the_reader_shown(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"120 years": 6.0})
    ScriptedLLM.reply = "the town council [1]"
    a = engine.answer("How old is the Blue Bridge?", llm="scripted")
    assert a.mode == "extractive" and a.text.startswith("120 years")
    assert any("the model answered 'the town council'" in n and "reader's answer" in n for n in a.notes), a.notes


def test_a_failing_model_falls_back_to_the_reader_with_a_note(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"2 million euros": 6.0})
    a = engine.answer("How much will the repairs cost?", llm="broken")
    assert a.mode == "extractive" and a.text == "2 million euros [1]."
    assert any("failed" in n and "context window" in n for n in a.notes)


def test_conflicts_are_never_left_to_the_model(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"120 years": 5.0, "95 years": 4.0})
    ScriptedLLM.reply = "120 years [1]"
    a = engine.answer("How old is the Blue Bridge?", llm="scripted")
    assert a.mode == "extractive" and "95" in a.text and "120" in a.text


def test_unknown_llm_names_the_setting(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {})
    with pytest.raises(LLMError, match="QA_LLM"):
        engine.answer("How much will the repairs cost?", llm="gpt-99")


def test_answer_to_dict_is_json(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {"2 million euros": 6.0})
    d = json.loads(json.dumps(engine.answer("How much will the repairs cost?").to_dict()))
    assert d["quotes"][0]["answer_start"] is not None and d["abstained"] is False


def test_the_seeds_go_only_into_an_index_that_was_never_set_up(tmp_path: Path) -> None:
    from index.build import remove_document
    from index.embed import get_embedder

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "note.txt").write_text("My note\n\nThe ferry to Brill leaves at nine.\n")
    settings = Settings(index_dir=tmp_path / "index", seeds_dir=tmp_path / "docs", embedder="hashing", llm="none")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "seed.txt").write_text("Seed news\n\nThe Blue Bridge is 120 years old.\n")
    report = build_index(settings.store_config(), get_embedder("hashing"), [mine], hashed_ids=True)
    engine = Engine(settings, reader=FakeReader({"120 years": 5.0}), calibration=CAL)
    assert set(engine.corpus.docs) == set(report.added)  # the user's note only, no seed
    remove_document(settings.store_config(), report.added[0])
    engine.reload()
    a = engine.answer("How old is the Blue Bridge?")
    assert a.abstained and "No documents indexed" in a.text and not engine.corpus.docs
    fresh = Engine(settings.model_copy(update={"index_dir": tmp_path / "new"}), reader=FakeReader({"120 years": 5.0}), calibration=CAL)
    assert fresh.answer("How old is the Blue Bridge?").text == "120 years [1]."  # never set up: the seeds are indexed


def test_questions_warn_until_documents_read_by_an_earlier_version_are_indexed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from index.embed import get_embedder

    settings = Settings(index_dir=tmp_path / "index", seeds_dir=tmp_path / "docs", embedder="hashing", llm="none")
    (tmp_path / "docs").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "docs" / name).write_text(f"News {name}\n\nThe Blue Bridge in {name} is 120 years old.\n")
    with monkeypatch.context() as m:
        m.setattr("index.store.LOADER", "loader-0")  # as an earlier version recorded it
        build_index(settings.store_config(), get_embedder("hashing"), [tmp_path / "docs"])
    with caplog.at_level(logging.WARNING, logger="qa.engine"):
        assert len(Engine(settings, reader=FakeReader({}), calibration=CAL).corpus.docs) == 2
    assert "2 of 2 documents were indexed by an earlier version" in caplog.text and "run qa index" in caplog.text
    caplog.clear()
    build_index(settings.store_config(), get_embedder("hashing"), [tmp_path / "docs"])  # qa index
    with caplog.at_level(logging.WARNING, logger="qa.engine"):
        assert len(Engine(settings, reader=FakeReader({}), calibration=CAL).corpus.docs) == 2
    assert "earlier version" not in caplog.text


def test_a_conflicts_sides_run_from_the_oldest_source_to_the_newest(tmp_path: Path) -> None:
    """The reader is surer of the later article's value; the sides still run by date, each with it."""
    engine = _engine(tmp_path, {
        "later.txt": "June 30, 2017\n\nOld City report\n\nThe offensive on the Old City began on June 29.\n",
        "earlier.txt": "Dorn dispatch\n\nBy Ina Dorn | Wednesday, 21 June, 2017\n\nThe offensive on the Old City began on June 18.\n",
        "undated.txt": "Notes\n\nThe offensive on the Old City began on June 25.\n",
    }, {"June 29": 6.0, "June 18": 5.0, "June 25": 5.5})
    a = engine.answer("When did the offensive on the Old City begin?")
    assert a.conflicts and [(s.value, s.date) for s in a.conflicts[0].sides] == [
        ("June 18", "2017-06-21"), ("June 29", "2017-06-30"), ("June 25", None)]
    assert a.text == "The sources disagree: June 18 [1] versus June 29 [2] versus June 25 [3]."
    assert [q.date for q in a.quotes] == ["2017-06-21", "2017-06-30", None]
    assert a.quotes[0].where.startswith("Ina Dorn, 2017-06-21, chars") and a.quotes[1].where.startswith("2017-06-30, chars")
    _check_quotes(engine, a)


@pytest.mark.parametrize(
    ("texts", "values", "question"),
    [
        (("The Vell Bridge reopened on 19 June, the council said.", "The Vell Bridge reopened on 3 May, after the repairs.",
          "The Vell Bridge was opened in 1921 by the mayor."), ("19 June", "3 May", "1921"), "When did the Vell Bridge reopen?"),
        (("The Vell Bridge reopened on 19 June, the council said.", "The Vell Bridge reopened on 3 May, after the repairs.",
          "The Vell Bridge reopened on Monday."), ("19 June", "3 May", "Monday"), "When did the Vell Bridge reopen?"),
        (("Repairs to the Vell Bridge will cost 12 million euros.", "The council put repairs to the Vell Bridge at 9 million euros.",
          "Repairs to the Vell Bridge will take two years."), ("12 million euros", "9 million euros", "two years"), "How much will the repairs cost?"),
    ],
)
def test_a_value_that_says_nothing_of_the_answer_is_neither_agreement_nor_a_side(
    tmp_path: Path, texts: tuple[str, str, str], values: tuple[str, str, str], question: str
) -> None:
    # a year or a weekday says nothing of a day of a month; years are no amount of money
    engine = _engine(tmp_path, {f"{n}.txt": f"News {n}\n\n{t}\n" for n, t in zip("abc", texts, strict=True)}, dict(zip(values, (6.0, 5.0, 4.0), strict=True)))
    a = engine.answer(question)
    assert a.conflicts and [s.value for s in a.conflicts[0].sides] == list(values[:2])
    assert "c" not in {q.doc_id for q in a.quotes}
    _check_quotes(engine, a)


def test_an_article_changed_by_another_process_is_read_again_before_it_is_quoted(tmp_path: Path) -> None:
    """Texts are read lazily: one that changed since the corpus was read is never sliced by the old offsets."""
    engine = _engine(tmp_path, ARTICLES, {"2 million euros": 6.0, "3 million euros": 6.0})
    assert engine.corpus.docs  # the corpus is read; bridge_b's text is not yet
    changed = "Regional report\n\nAfter a long survey, engineers now say that the repairs will cost 3 million euros.\n"
    (engine.settings.seeds_dir / "bridge_b.txt").write_text(changed)
    build_index(engine.settings.store_config(), engine.embedder, [engine.settings.seeds_dir])  # as `qa index` in a terminal
    a = engine.answer("How much will the repairs cost?")
    assert not a.abstained and a.text == "3 million euros [1]."
    assert a.quotes[0].text == "After a long survey, engineers now say that the repairs will cost 3 million euros."
    _check_quotes(engine, a)


def test_search_reads_the_index_again_when_an_article_changed_since(tmp_path: Path) -> None:
    engine = _engine(tmp_path, ARTICLES, {})
    assert engine.corpus.docs
    (engine.settings.seeds_dir / "market.txt").write_text("Market day\n\nThe fish market now opens at seven every Friday morning.\n")
    build_index(engine.settings.store_config(), engine.embedder, [engine.settings.seeds_dir])
    found = [q for q in engine.passages("When does the fish market open?", k=3) if q.doc_id == "market"]
    assert found and found[0].text == "The fish market now opens at seven every Friday morning."
    assert engine.corpus.doc_text("market")[found[0].start : found[0].end] == found[0].text


def test_an_answer_phrase_loses_edge_punctuation_and_only_brackets_it_does_not_close() -> None:
    from qa.quote import phrase

    assert phrase(" 400 m (1,300\n ft). ") == "400 m (1,300 ft)"
    assert phrase("(1,300 ft)") == "1,300 ft" and phrase("(the Pentagon") == "the Pentagon" and phrase("the Pentagon),") == "the Pentagon"
    assert phrase("(a) and (b)") == "(a) and (b)" and phrase("“bottled up”") == "bottled up"
