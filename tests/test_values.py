"""What a question asks for (`qa.values`)."""

from __future__ import annotations

from qa.values import dates, numbers, numbers_agree, question_kind


def test_measures_asked_as_what_is_the_x_of_are_numbers() -> None:
    assert question_kind("What is the age of the Blue Bridge?") == "number"
    assert question_kind("How tall was the minaret?") == "number"
    assert question_kind("What was the death toll of the flood?") == "number"
    assert question_kind("What role did the mayor play?") == "fact"


def test_a_when_after_another_question_word_opens_a_clause_and_a_chief_is_a_person() -> None:
    assert question_kind("What followed the bombardment when the offensive was launched?") == "fact"
    assert question_kind("What did the rebels burn to hide where they were going?") == "fact"
    assert question_kind("Where did the rebels go when the army came?") == "place"
    assert question_kind("How many people fled when the offensive began?") == "number"
    assert question_kind("Who was in charge when the city fell?") == "person"
    assert question_kind("When did the offensive begin?") == "date"
    assert question_kind("The army attacked at dawn. When did the offensive begin?") == "date"
    assert question_kind("Which police chief ordered the curfew?") == "person"


def test_a_count_said_by_its_order_of_size_is_a_number_that_agrees_with_counts_inside_it() -> None:
    assert [(v.text, v.key) for v in numbers("The rebels seized thousands of villagers.")] == [("thousands", "2000-999999")]
    assert [v.text for v in numbers("hundreds of thousands of people fled")] == ["hundreds of thousands"]
    assert numbers("The thousands who fled") == []  # no count of anything: "thousands of ..." counts
    found = numbers("The 4,000 rebels and thousands of villagers")
    assert [v.text for v in found] == ["4,000", "thousands"]  # in the order the text gives them
    assert numbers_agree(found[1].key, found[0].key)  # 4,000 is thousands: no disagreement
    assert not numbers_agree(found[1].key, "200")


def test_a_part_of_a_year_or_month_is_said_with_its_date() -> None:
    found = [(v.text, v.key) for v in dates("They hoped to win by the end of 2016 and took the port in late January.")]
    assert found == [("the end of 2016", "2016-?-?"), ("late January", "?-1-?")]
    assert [v.text for v in dates("In the middle of March 2017, at the start of 2015")] == ["the middle of March 2017", "the start of 2015"]
    # a which-place question is a place question
    assert question_kind("Which Old City neighbourhood fell first?") == "place"


def test_a_part_of_the_current_year_is_a_relative_date_and_the_name_of_a_role_holder_asks_who() -> None:
    found = [(v.text, v.key) for v in dates("Since the army took the port at the beginning of the year, 900 have returned.")]
    assert found == [("the beginning of the year", "~the beginning of the year")]
    assert question_kind("What was the name of the UN migration agency's spokesperson?") == "person"
    assert question_kind("What was the name of the Pentagon chief?") == "person"
    assert question_kind("What is the name of the mosque?") == "fact"
