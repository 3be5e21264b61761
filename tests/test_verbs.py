"""The act a question asks about, and whether a passage does it (`qa.verbs`)."""

from __future__ import annotations

import re

from qa.names import body_like, body_phrases
from qa.values import names
from qa.verbs import acts_of, counted_verbs, dated_verbs, does_verb, is_agent, verb_terms


class WordSoft:
    """A fake soft matcher: a query word is close (0.9) to the words listed for it, far from the rest."""

    def __init__(self, close: dict[str, set[str]]) -> None:
        self.close = close

    def best(self, queries: list[str], text: str) -> list[float]:
        words = set(re.findall(r"[a-z]+", text.lower()))
        return [0.9 if self.close.get(q, set()) & words else 0.0 for q in queries]


def test_an_asked_verb_is_matched_softly_against_verbs_only() -> None:
    soft = WordSoft({"destroyed": {"back", "burned"}})
    verbs = [("destroy", "destroyed")]
    assert not does_verb("Since spring, 320 of 400 schools have reopened and families came back.", set(), verbs, soft, 0.45)  # type: ignore[arg-type]
    assert does_verb("Last year 40 schools burned down.", set(), verbs, soft, 0.45)  # type: ignore[arg-type]
    # a plural noun made from a verb does not do its act: "781 buildings" built nothing
    built = [("build", "build")]
    ruined = "Aircraft have destroyed 781 buildings and 225 tunnels."
    assert not does_verb(ruined, verb_terms(ruined), built, WordSoft({"build": {"buildings"}}), 0.45)  # type: ignore[arg-type]
    assert does_verb("The militia built 225 tunnels.", set(), built, None, 0.45)
    # nor does a noun made from a verb after its article: "the beginning of the works" begins nothing
    began = dated_verbs("When did the works begin?")
    assert not does_verb("On July 9 the quay reopened.", verb_terms("It marked the beginning of the works."), began, None, 1.0)
    assert does_verb("On July 9 the quay reopened.", verb_terms("The works were beginning to show."), began, None, 1.0)


def test_capturing_a_place_is_taking_it_when_the_sentence_itself_says_so() -> None:
    verbs = [("take", "take")]
    text = "The army captured the port in late January."
    assert does_verb(text, set(), verbs, None, 1.0)
    # a neighbour's "recaptured" may be another act; only the same verb counts from the neighbours
    assert not does_verb("On May 2 the observers said the port was encircled.", {"recaptur"}, verbs, None, 1.0)
    assert does_verb("On May 2 the observers said the port was encircled.", {"took"}, verbs, None, 1.0)
    assert not does_verb("The army encircled the port in late January.", set(), verbs, None, 1.0)


def test_surrendering_is_an_event_a_when_question_asks_the_date_of() -> None:
    assert [w for _, w in dated_verbs("When did the last fighters in the old town surrender?")] == ["surrender"]
    assert [w for _, w in dated_verbs("When did the garrison withdraw from the fort?")] == ["withdraw"]


def test_a_city_that_falls_is_taken_and_one_liberated_is_taken_too() -> None:
    verbs = dated_verbs("When did the Old City fall to Iraqi forces?")
    assert does_verb("On July 9 Iraqi forces announced that they had captured the Old City.", set(), verbs, None, 0.45)
    assert does_verb("Iraqi forces liberated eastern Mosul in January.", set(), dated_verbs("When did Iraqi forces take eastern Mosul?"), None, 0.45)
    assert not does_verb("The offensive on the Old City began on June 18.", set(), verbs, None, 0.45)


def test_verbs_for_the_same_act_answer_for_each_other() -> None:
    helped = [("help", "help")]
    assert does_verb("Assisted by patrol boats from the navy, the port guards cleared the quay on May 2.", set(), helped, None, 1.0)
    led = [("spearhead", "spearheaded")]
    assert does_verb("The raid on May 2 was led by the harbour police.", set(), led, None, 1.0)
    flattened = [("flatten", "flatten")]
    assert does_verb("The storm destroyed 40 sheds on the docks.", set(), flattened, None, 1.0)
    held = [("control", "control")]
    assert does_verb("At its peak the guild held 40 percent of the docks.", set(), held, None, 1.0)
    # acts of different lines stay apart: holding a port is not taking it
    assert not does_verb("At its peak the guild held 40 percent of the docks.", set(), [("take", "take")], None, 1.0)


def _agents(text: str, act: str) -> list[str]:
    """Returns the bodies of `text` that do `act` (`is_agent`)."""
    found = sorted([*filter(body_like, names(text)), *body_phrases(text)], key=lambda v: v.start)
    return [v.text for v in found if is_agent(v, text, acts_of(act))]


def test_a_doer_is_found_behind_a_passive_an_attempt_a_companion_or_the_body_it_makes_up() -> None:
    assert _agents("Assisted by airstrikes from the US-led coalition, the Dorn Army has been advancing.", "assisted") == ["US-led coalition"]
    assert _agents("The port was shelled from the Vell Hills.", "shelled") == []  # a place after "from", no "by": no doer
    assert _agents("The guards held despite the Dorn Army’s attempts to deter them.", "tried to deter") == ["Dorn Army’s"]
    assert acts_of("despite the Dorn Army’s attempts to deter them") >= acts_of("deterring")
    both = "Vellan forces, along with Dorn Militia allies, have been converging on the port."
    assert _agents(both, "converging") == ["Vellan forces", "Dorn Militia allies"]
    assert _agents("Vellan forces target the quay, and an army of Dorn militias is preparing to take the port.", "seized") == ["Dorn militias"]
    assert _agents("Vellan forces target the quay near the camp of Dorn militias, preparing to take the port.", "seized") == []
    # an irregular participle's doer; a possessive's is what it has
    assert _agents("The raid on the quay has been led by Vellan forces.", "led") == ["Vellan forces"]
    assert _agents("The raid was led by the Dorn Army's 9th Division.", "commanded") == []
    # the holder of a place under its control holds it; a name under some other noun holds nothing
    assert _agents("The quarter had been under Dorn Army control for three years.", "held") == ["Dorn Army"]
    assert _agents("The quarter had been under the Dorn Army’s rule for three years.", "ruled") == ["Dorn Army’s"]
    assert _agents("The quarter had been under Dorn Army fire for three years.", "held") == []
    # a name after any preposition is governed, "since" too: "since Dorn Army was first driven out" drove nothing
    assert _agents("The guards held a mass since Dorn Army was first driven out.", "drove") == []


def test_a_light_verb_says_no_act_of_its_own() -> None:
    assert counted_verbs("How many strikes did the munitions go into?") == []
    assert counted_verbs("How much water does each resident get per day?") == [("get", "get")]
    assert [w for _, w in counted_verbs("How many tunnels did coalition aircraft find in the Old City?")] == ["find"]
