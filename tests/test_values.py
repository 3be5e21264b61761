"""Numbers and dates a text states, normalised (`qa.values`)."""

from __future__ import annotations

from qa.decide import same_value
from qa.values import dates, dates_agree, dates_comparable, numbers, numbers_agree, units_comparable


def test_a_count_said_by_its_order_of_size_is_a_number_that_agrees_with_counts_inside_it() -> None:
    assert [(v.text, v.key) for v in numbers("The rebels seized thousands of villagers.")] == [("thousands", "2000-999999")]
    assert [v.text for v in numbers("hundreds of thousands of people fled")] == ["hundreds of thousands"]
    assert numbers("The thousands who fled") == []  # no count of anything: "thousands of ..." counts
    found = numbers("The 4,000 rebels and thousands of villagers")
    assert [v.text for v in found] == ["4,000", "thousands"]  # in the order the text gives them
    assert numbers_agree(found[1].key, found[0].key)  # 4,000 is thousands: no disagreement
    assert not numbers_agree(found[1].key, "200")


def test_number_words_are_read_as_one_number_where_they_say_one() -> None:
    def said(text: str) -> list[tuple[str, str]]:
        return [(v.text, v.key) for v in numbers(text)]

    assert said("two hundred thousand people fled") == [("two hundred thousand", "200000")]  # one number, not 200 and 1000
    assert said("one hundred and fifty thousand") == [("one hundred and fifty thousand", "150000")]
    assert said("twenty-one soldiers and twenty one tanks") == [("twenty-one", "21"), ("twenty one", "21")]
    assert said("two three-storey houses") == [("two", "2"), ("three", "3")]  # two numbers in a row are not summed
    assert said("seven and eight") == [("seven", "7"), ("eight", "8")]
    assert said("a couple of hundred fighters") == [("a couple of hundred", "200")]


def test_a_part_of_a_year_or_month_is_said_with_its_date() -> None:
    found = [(v.text, v.key) for v in dates("They hoped to win by the end of 2016 and took the port in late January.")]
    assert found == [("the end of 2016", "2016-?-?"), ("late January", "?-1-?")]
    assert [v.text for v in dates("In the middle of March 2017, at the start of 2015")] == ["the middle of March 2017", "the start of 2015"]


def test_a_part_of_the_current_year_is_a_relative_date() -> None:
    found = [(v.text, v.key) for v in dates("Since the army took the port at the beginning of the year, 900 have returned.")]
    assert found == [("the beginning of the year", "~the beginning of the year")]


def test_dates_agree_only_when_they_share_a_known_part_and_none_differs() -> None:
    def key(text: str) -> str:
        return dates(text)[0].key

    assert dates_agree(key("on 19 June 2019"), key("in June 2019")) and dates_agree(key("19 June"), key("June 19, 2019"))
    assert not dates_agree(key("19 June"), key("3 May"))
    assert not dates_comparable(key("in 1921"), key("on 19 June")) and not dates_agree(key("in 1921"), key("on 19 June"))
    assert dates_comparable(key("in 1921"), key("in June 2019")) and not dates_agree(key("in 1921"), key("in June 2019"))
    assert not dates_comparable(key("on Monday"), key("on June 18"))  # June 18 may be a Monday
    assert dates_comparable(key("on Monday"), key("on Sunday")) and not dates_agree(key("on Monday"), key("on Sunday"))
    assert not dates_comparable(key("last week"), key("on June 21"))  # relative to the article's own date


def test_a_number_knows_what_it_measures_from_its_unit() -> None:
    def units(text: str) -> list[tuple[str, str]]:
        return [(v.key, v.unit) for v in numbers(text)]

    assert units("Repairs will cost 12 million euros and take two years.") == [("12000000", "money"), ("2", "time")]
    assert units("the 850-year-old mosque, $5 million, 10 percent, one sq km, 15 km, 3 tonnes") == [
        ("850", "time"), ("5000000", "money"), ("10%", "percent"), ("1", "area"), ("15", "length"), ("3", "mass"),
    ]
    assert units("4,500 people and a couple of hundred fighters") == [("4500", ""), ("200", "")]  # counts of things: no unit
    assert units("one of the towns fell after one year, one percent of the city") == [("1", "time"), ("1%", "percent")]  # "one of": no count
    assert units("eight months into the battle, three years ago") == [("8", "time"), ("3", "time ago")]  # a duration, a point in time
    assert not units_comparable("money", "time") and units_comparable("time", "time")
    assert units_comparable("", "time")  # "nine" may be the nine months another article says


def test_a_length_knows_which_way_it_runs() -> None:
    def units(text: str) -> list[str]:
        return [v.unit for v in numbers(text)]

    assert units("The quake struck 10 km deep, 25 kilometres south of the city, 3 miles north-east of it, 40 km from the coast") == [
        "length depth", "length away", "length away", "length away"]
    assert units("a wall 12 metres high, 300 feet tall, a bridge 2 km long, 40 metres in length, 8 metres wide, 1,000 feet above the sea") == [
        "length height", "length height", "length length", "length length", "length width", "length height"]
    assert units("a 15 km convoy and 20 km of road") == ["length", "length"]  # says no way it runs
    assert units("a trench 8 m wide, 300 m from the line, 8 m people") == ["length width", "length away", ""]  # "m": millions unless a way follows
    assert not units_comparable("length depth", "length away") and not units_comparable("length height", "length width")
    assert units_comparable("length depth", "length") and units_comparable("length", "length away")
    assert units_comparable("length away", "length away") and not units_comparable("length depth", "time")
    assert not same_value("10 km deep", "10 km south of the city") and same_value("10 km deep", "10 kilometres")
