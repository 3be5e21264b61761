"""Picking the asked value from a passage (`qa.pick`)."""

from __future__ import annotations

from qa.pick import counted_terms, pick_value
from qa.values import question_kind, values_of
from qa.verbs import asked_acts


def test_one_with_a_unit_of_area_or_length_is_a_measure_and_how_much_of_counts_no_noun() -> None:
    assert [v.key for v in values_of("About one sq km remained in their hands.", "number")] == ["1"]
    assert values_of("One of the bridges remained in their hands.", "number") == []
    assert counted_terms("How much of the city did they still hold?") == set()
    assert "bridg" in counted_terms("How many of the bridges did they still hold?")
    value = pick_value("About one sq km remained in their hands.", "number", "How much of the city remained in their hands?")[0]
    assert value is not None and value.text == "one"


def test_a_person_named_with_country_and_title_answers_who() -> None:
    text = "Iraq Prime Minister Haider al-Abadi described it as a defeat."
    value, fit = pick_value(text, "person", "Who was Iraq's prime minister during the battle?")
    assert value is not None and "Haider al-Abadi" in value.text
    assert fit > 0  # "prime minister" is asked, and said in the name's title
    # an army's name is no person's; it answers "who" only as the doer of the act asked about
    assert pick_value("Iraq Army units described it as a defeat.", "person", "Who called it a defeat?")[0] is None
    assert pick_value("Iraq Army units described it as a defeat.", "person", "Who described it as a defeat?")[0] is not None


def test_a_deadline_is_not_when_something_happened() -> None:
    text = "The army hoped to take the port by the end of 2016, but it fell only in March 2017."
    assert pick_value(text, "date", "When did the port fall?")[0].text == "March 2017"
    assert pick_value("The army hoped to take the port by the end of 2016.", "date", "When did the army take the port?")[0] is None
    assert pick_value("The army hoped to take the port by the end of 2016.", "date", "By when did the army hope to take the port?")[0] is not None
    # "by when" asks for a deadline or a span's end, not when something was done
    assert pick_value("The army launched its final assault on the port on Monday.", "date", "By when did the army hope to take the port?")[0] is None
    assert pick_value("By June 2017, they had taken the port.", "date", "By which month of 2017 had they taken the port?")[0] is not None
    until = pick_value("The rebels gained ground from 2013 through the beginning of 2015.", "date", "Until when did the rebels gain ground?")[0]
    assert until is not None and until.text == "the beginning of 2015"


def test_the_kind_of_place_asked_for_in_a_name_fits_which() -> None:
    text = "The left bank of the town, cut in half by the Vell River, is held by the guards."
    value, fit = pick_value(text, "place", "Which river splits the town in two?")
    assert value is not None and value.text == "Vell River"
    assert fit >= 0.3, fit  # "river" is said by the name itself
    assert pick_value(text, "place", "Where is the town split in two?")[1] < 0.3


def test_an_organisation_that_reports_answers_who_reported() -> None:
    question = "Who reported that counterattacks had stalled the push?"
    value = pick_value("On June 27, ABC News reported that counterattacks had stalled the push.", "person", question)[0]
    assert value is not None and value.text == "ABC News"
    assert pick_value("On June 27, ABC News showed that counterattacks had stalled the push.", "person", question)[0] is None
    # a body named in lower case reports too
    value = pick_value("The Vellan military reported that counterattacks had stalled the push.", "person", question)[0]
    assert value is not None and value.text == "Vellan military"
    assert pick_value("The Vellan military showed that counterattacks had stalled the push.", "person", question)[0] is None


def test_a_share_in_words_or_per_cent_is_a_percentage() -> None:
    keys = [v.key for v in values_of("It held forty per cent of the land and now holds only ten percent; ten towns fell.", "number")]
    assert keys == ["40%", "10%", "10"]
    v, _ = pick_value("Now it holds only ten percent of the land, and ten towns.", "number", "What share of the land does it hold?")
    assert v is not None and v.key == "10%"
    # a share of a named whole the passage never names is of another whole
    said = "While it held 40 percent of Dorn at its peak, it now holds only 10 percent."
    assert pick_value(said, "number", "What percentage of Vell did the army hold at its peak?")[0] is None
    v, _ = pick_value(said, "number", "What percentage of Dorn's land did the army hold at its peak?")
    assert v is not None and v.key == "40%"
    # a part of a whole is a share too
    v, _ = pick_value("Since the thaw, four of nine bridges are open again.", "number", "What fraction of the bridges are open?")
    assert v is not None and v.text == "four of nine"


def test_what_did_it_pay_asks_a_sum_and_a_people_is_no_place() -> None:
    assert question_kind("What did the council pay to repair the bridge?") == "number"
    assert question_kind("What will the new bridge cost the town?") == "number"
    assert question_kind("What did the council do about the bridge?") == "fact"
    # a "who" after another question word opens a clause; it asks for a person only after "the name of"
    assert question_kind("What did the guards who had fled do once the storm passed?") == "fact"
    assert question_kind("What was the name of the guard who opened the gate?") == "person"
    assert pick_value("In the evening hundreds of Iraqis gathered there.", "place", "Where did hundreds gather?")[0] is None
    assert pick_value("In the evening hundreds of Iraqis gathered in Tabqa.", "place", "Where did hundreds gather?")[0].text == "Tabqa"  # type: ignore[union-attr]


def test_a_where_question_is_answered_by_a_place_a_preposition_governs_or_a_dateline() -> None:
    where = "Where have the raiders dug in?"
    said = "The army hoped to take Tabqa by May, but the raiders have dug in among civilians."
    assert pick_value(said, "place", where)[0] is None  # "to take Tabqa": a place, but not where
    assert pick_value(said, "place", "Which town did the army hope to take?")[0].text == "Tabqa"  # type: ignore[union-attr]
    assert pick_value("The raiders have dug in near the old town of Tabqa.", "place", where)[0].text == "Tabqa"  # type: ignore[union-attr]
    assert pick_value("The raiders have dug in in several Tabqa suburbs.", "place", where)[0].text == "Tabqa"  # type: ignore[union-attr]
    assert pick_value("Irbil, Iraq CNN —", "place", "Where was the report filed from?")[0].text == "Irbil"  # type: ignore[union-attr]


def test_a_force_that_does_what_was_asked_answers_who() -> None:
    assert asked_acts("Who launched the offensive on the old quarter?") == asked_acts("Who has been launching attacks?") != set()
    assert asked_acts("Who did the police support?") == set()  # asks for whom, not who did
    assert asked_acts("Who said it?") == set()
    question = "Who provided air support during the offensive?"
    value, _ = pick_value("The Vell Air Force provided air support, striking the bridges.", "person", question)
    assert value is not None and value.text.endswith("Air Force")
    # the name after "against" is not the one providing; a people alone is no doer
    assert pick_value("The coalition against ISIS is providing air support.", "person", question)[0] is None
    assert pick_value("Iraqi troops provided air support.", "person", question)[0] is None
    # without the asked act, a force is no person
    assert pick_value("The Vell Air Force held a parade.", "person", question)[0] is None
    # a relative clause says what the name before it does, whatever governs the name
    took = "Who had captured the port in 2014?"
    value, _ = pick_value("Troops retook the port from the Vell Army, which had captured it in 2014.", "person", took)
    assert value is not None and value.text.endswith("Vell Army")
    assert pick_value("Troops retook the port from the Vell Army in 2014.", "person", took)[0] is None


def test_a_date_after_the_verb_of_saying_dates_the_saying() -> None:
    text = "“The bridge is open again,” the mayor said in an official statement on June 29."
    assert pick_value(text, "date", "When did the bridge open again?")[0] is None
    value, _ = pick_value(text, "date", "When did the mayor say the bridge was open again?")
    assert value is not None and value.text == "June 29"
    value, _ = pick_value("Workers reopened the bridge on Monday, a statement said.", "date", "When did workers reopen the bridge?")
    assert value is not None and value.text == "Monday"  # the date before the saying is the event's
    # "State" in a name asks about no saying
    said = "“The port is ours,” the Free State said in an official statement on June 29."
    assert pick_value(said, "date", "When did the Free State take the port?")[0] is None
    # a figure given is a figure said
    toll = "In the port, 98 raiders had been killed, the ministry reported on June 29."
    assert pick_value(toll, "date", "When did the ministry give its figure of 98 raiders killed?")[0] is not None
    assert pick_value(toll, "date", "When were 98 raiders killed in the port?")[0] is None


def test_a_part_of_a_counted_whole_is_counted_by_the_whole_noun() -> None:
    q = "How many of the town's 40 schools are open again?"
    assert "school" in counted_terms(q)
    text = "Since the siege ended, 900 families have come back; 32 out of 40 schools have reopened."
    value, _ = pick_value(text, "number", q)
    assert value is not None and value.key == "32", value  # "32 out of 40"


def test_how_much_of_a_mass_is_answered_by_a_measure_not_a_count() -> None:
    text = "Four of nine pumping stations supply water to the town, with more than 2.5 million liters trucked in every day."
    value, _ = pick_value(text, "number", "How much water is trucked in daily?")
    assert value is not None and value.text.startswith("2.5 million"), value
    value, _ = pick_value("About one sq km (0.4 sq mile) remained under rebel control.", "number", "How much ground did the rebels still control?")
    assert value is not None and value.key in ("1", "0.4"), value  # either measure of the same ground
    value, _ = pick_value(text, "number", "How many pumping stations supply water?")  # a count is still counted
    assert value is not None and value.text.lower().startswith("four"), value


def test_a_counted_noun_said_in_another_word_of_its_group_fits_the_question() -> None:
    text = "Since the town was freed, 4,000 families have come home; 35,000 children have returned to school."
    value, fit = pick_value(text, "number", "How many pupils are back in class?")
    assert value is not None and value.key == "35000" and fit > 0.1, (value, fit)
    # a demonym counts people, and itself: "How many Moslawis" is "191,000 Moslawis"
    back = pick_value("Since then, 191,000 Moslawis have come back to their homes.", "number", "How many Moslawis have returned home?")[0]
    assert back is not None and back.key == "191000"
    ordnance = "The jets dropped 2,000 munitions and hit 40 car bombs."
    assert pick_value(ordnance, "number", "How many rounds of ordnance did the jets drop?")[0].key == "2000"
    assert pick_value(ordnance, "number", "How many car bombs did the jets hit?")[0].key == "40"
    raids = pick_value("The jets flew 300 strikes over 40 days.", "number", "How many bombings did the jets carry out?")[0]
    assert raids is not None and raids.key == "300"


def test_a_place_said_by_its_noun_fits_a_question_that_says_its_adjective() -> None:
    text = "Iraq captured east Mosul in late January."
    value, fit = pick_value(text, "date", "When did Iraqi troops take the eastern half of Mosul?")
    assert value is not None and value.text == "late January"
    assert fit >= 0.2, fit  # "Iraq" and "east" say "Iraqi" and "eastern"
    assert pick_value(text, "date", "When did Syrian troops take the western half of Mosul?")[1] < 0.2


def test_how_long_is_answered_by_a_span_said_in_its_unit_alone() -> None:
    text = "Officials estimate the siege could last weeks, possibly months."
    value = pick_value(text, "number", "How long might the siege take?")[0]
    assert value is not None and value.text == "weeks, possibly months"
    assert pick_value(text, "number", "How many officials gave an estimate?")[0] is None  # counts nothing
    # a span with a number is read as that number, not again as a bare unit
    value = pick_value("The quarter was held for nearly three years.", "number", "How long was the quarter held?")[0]
    assert value is not None and value.text == "three"


def test_a_name_that_says_another_kind_of_place_does_not_answer_which() -> None:
    text = "Guards from the Old Town took the Vell River crossing."
    assert pick_value(text, "place", "Which country's guards took the crossing?")[0] is None
    town = pick_value(text, "place", "Which town did the guards come from?")[0]
    assert town is not None and town.text == "Old Town"
    river = pick_value(text, "place", "Which river's crossing did the guards take?")[0]
    assert river is not None and river.text == "Vell River"


def test_where_something_was_said_is_not_where_anything_asked_happened() -> None:
    text = "The guards have fled the quay, the captain wrote on Twitter."
    assert pick_value(text, "place", "Where did the guards flee to?")[0] is None
    said = pick_value(text, "place", "Where did the captain write about the guards?")[0]
    assert said is not None and said.text == "Twitter"


def test_in_which_town_is_answered_by_where_it_happened_or_a_name_said_to_be_a_town() -> None:
    question = "In which town did the guards hold a parade?"
    assert pick_value("The guards held a parade, the first since Vell was freed.", "place", question)[0] is None
    placed = pick_value("The guards held a parade in Dorn, the first since Vell was freed.", "place", question)[0]
    assert placed is not None and placed.text == "Dorn"
    kind = pick_value("Guards freed some towns, including Dorn, where a parade was held.", "place", question)[0]
    assert kind is not None and kind.text == "Dorn"
    # "which town" without "in": the name need not say where anything happened
    assert pick_value("The guards freed Vell.", "place", "Which town did the guards free?")[0] is not None
