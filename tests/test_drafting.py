"""The drafting rules, each on its own sentence, and the comparison's arithmetic."""

import datetime

import pytest

from timeline.drafting import KnownActor, draft_article
from timeline.drafting.actors import Matcher, titled_people
from timeline.drafting.compare import compare
from timeline.drafting.figures import find_figures
from timeline.drafting.text import find_quotes, paragraphs
from timeline.drafting.when import FUTURE, find_dates

WEDNESDAY = datetime.date(2015, 8, 19)


def resolved(text, published=WEDNESDAY, tense="past"):
    return [(w.date.isoformat(), str(w.precision)) for w in find_dates(text, published, tense)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a wire dated the evening before names the next day
        ("the Home Office said Thursday", [("2015-08-20", "day")]),
        ("May's visit to Calais later Thursday", [("2015-08-20", "day")]),
        ("the two men met on Monday", [("2015-08-17", "day")]),
        ("Eurotunnel said earlier this week", [("2015-08-17", "week")]),
        ("since the crisis escalated earlier this year", [("2015-01-01", "year")]),
        ("a high of 2,000 at the end of July", [("2015-07-21", "late-month")]),
        ("the scheme started last year", [("2014-01-01", "year")]),
        ("they will meet next month", [("2015-09-01", "month")]),
        ("the camp was cleared in October last year", [("2014-10-01", "month")]),
        ("in the first five months of the year", [("2015-01-01", "year")]),
        ("mid-July", [("2015-07-11", "mid-month")]),
        ("early March 2014", [("2014-03-01", "early-month")]),
        ("on 3 March", [("2015-03-03", "day")]),
        ("two weeks ago", [("2015-08-03", "week")]),
        ("yesterday", [("2015-08-18", "day")]),
    ],
)
def test_relative_dates_resolve_at_the_precision_they_carry(text, expected):
    assert resolved(text) == expected


def test_a_future_weekday_looks_ahead():
    assert resolved("will meet on Monday", tense=FUTURE) == [("2015-08-24", "day")]


def test_a_month_named_without_a_year_is_the_latest_not_after_publication():
    assert resolved("in October") == [("2014-10-01", "month")]
    assert resolved("by the end of March", datetime.date(2016, 3, 4)) == [
        ("2016-03-21", "late-month")
    ]


def test_may_the_home_secretary_is_not_a_month():
    assert resolved("a deal signed by May and her French counterpart") == []
    assert resolved("in May 2016") == [("2016-05-01", "month")]


def test_quotations_straight_curly_and_across_sentence_breaks():
    quotes = find_quotes('"We must act. Now," he said, and “again” it was ‘Britain’s’ call')
    assert [q.text for q in quotes] == ["We must act. Now,", "again", "Britain’s"]


def test_a_quotation_left_open_runs_to_the_end_of_its_paragraph():
    (quote,) = find_quotes('"Every tap is an invitation.')
    assert not quote.closed and quote.text == "Every tap is an invitation."


def test_headline_and_wire_furniture_are_not_paragraphs():
    headline, body = paragraphs("Police head to Calais\n\nOfficers go.\n\n© 2015 AFP")
    assert headline == "Police head to Calais"
    assert [p.text for p in body] == ["Officers go."]


def draft(text, published=WEDNESDAY, known=()):
    return draft_article(text, published, publisher="Wire", known_actors=known)


def statements(result):
    return [(s["kind"], s["speaker"], s["text"]) for s in result.of("statement")]


def test_a_continued_quotation_keeps_its_speaker():
    result = draft(
        "Keith Vaz, who chairs a committee, warned of the risks.\n\n"
        '"We must be aware of the dangers," he said.\n\n'
        '"We need agreements with countries across the north coast."'
    )
    quotations = [s for s in statements(result) if s[0] == "quotation"]
    assert quotations == [
        ("quotation", ["keith-vaz"], "We must be aware of the dangers."),
        ("quotation", ["keith-vaz"], "We need agreements with countries across the north coast."),
    ]


def test_a_quotation_continued_after_its_attribution_in_the_same_paragraph():
    result = draft(
        'The mayor, Nathalie Brunet, said the town would appeal. "We will not let Calais become '
        'a magnet," she said. "Every tap is an invitation to the smugglers.'
    )
    quotations = [s[1:] for s in statements(result) if s[0] == "quotation"]
    assert quotations == [
        (["nathalie-brunet"], "We will not let Calais become a magnet."),
        (["nathalie-brunet"], "Every tap is an invitation to the smugglers."),
    ]


def test_a_short_quotation_is_a_term_not_a_statement():
    result = draft('The officers will work in a "Command and Control Centre".')
    assert not [s for s in result.of("statement") if s["kind"] == "quotation"]


def test_reported_speech_is_dated_by_the_words_after_the_verb():
    result = draft("Eurotunnel said earlier this week that the number of attempts had fallen.")
    (statement,) = result.of("statement")
    assert statement["kind"] == "reported"
    assert statement["speaker"] == ["eurotunnel"]
    assert (statement["date"], statement["date_precision"]) == ("2015-08-17", "week")


def test_an_undated_statement_is_dated_by_the_publication():
    result = draft("Keith Vaz warned there was already evidence of greater illegal activity.")
    (statement,) = result.of("statement")
    assert (statement["date"], statement["date_precision"]) == ("2015-08-19", "by")


def test_an_anonymous_source_keeps_its_words_and_links_the_government_it_names():
    result = draft("A British government source said ministers were considering a request.")
    (statement,) = result.of("statement")
    assert statement["speaker"] == ["uk-government"]
    assert statement["attributed_as"] == "A British government source"


def test_role_from_a_title_before_the_name():
    found = [
        (name, title)
        for _s, _e, name, title in titled_people("ahead of Home Secretary Theresa May's visit")
    ]
    assert found == [("Theresa May", "Home Secretary")]


def test_role_from_an_apposition_with_who():
    ((_s, _e, name, title),) = titled_people(
        "Keith Vaz, who chairs a parliamentary body scrutinising the ministry, welcomed it"
    )
    assert (name, title) == ("Keith Vaz", "Chair of a parliamentary body")


def test_role_from_a_title_after_the_name():
    ((_s, _e, name, title),) = titled_people(
        "with the prefect of the Pas-de-Calais region, Hélène Marchal"
    )
    assert (name, title) == ("Hélène Marchal", "Prefect of the Pas-de-Calais")


def test_a_counterpart_takes_the_opposite_role():
    result = draft(
        "Home Secretary Theresa May and her French counterpart Bernard Cazeneuve will sign it."
    )
    roles = {r["actor"][0]: r["title"] for r in result.of("role")}
    assert roles == {
        "theresa-may": "Home Secretary",
        "bernard-cazeneuve": "Minister of the Interior",
    }


def test_known_actors_are_matched_by_name_role_and_surname_with_a_score():
    known = [
        KnownActor(
            "theresa-may",
            "Theresa May",
            "person",
            "GB",
            roles=(("theresa-may-home-secretary", "Home Secretary", None, None),),
        ),
        KnownActor(
            "home-office", "Home Office", "government-body", "GB", aliases=("the-home-office",)
        ),
    ]
    matcher = Matcher(known, WEDNESDAY)
    assert matcher.best("Theresa  May", "person")[0].slug == "theresa-may"
    assert matcher.best("May", "person")[2] == "surname"
    assert matcher.by_role("the Home Secretary")[0].slug == "theresa-may"
    actor, score, _via = matcher.best("Home Ofice", "government-body")
    assert actor.slug == "home-office" and 86 <= score < 100


def test_matched_actors_are_referred_to_not_written_again():
    known = [KnownActor("eurotunnel", "Eurotunnel", "company", "FR")]
    result = draft("Eurotunnel said on Monday that attempts had fallen.", known=known)
    assert not result.of("actor")
    assert result.of("statement")[0]["speaker"] == ["eurotunnel"]
    assert any("matched `eurotunnel` by name, score 100" in note for note in result.notes)


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "approximate", "unit", "currency"),
    [
        ("Some 3,000 people are camped", "3000", None, None, True, "", ""),
        ("had fallen to around 150 a night", "150", None, None, True, "a night", ""),
        ("down from a high of 2,000", "2000", None, None, False, "", ""),
        ("between 3,500 and 4,000 people", None, "3500", "4000", False, "", ""),
        ("20-30 officers", None, "20", "30", False, "", ""),
        ("several hundred migrants", None, "100", "999", True, "", ""),
        ("dozens of people", None, "24", "99", True, "", ""),
        ("a £44.5m package", "44500000", None, None, False, "", "GBP"),
        ("up to €10 million", "10000000", None, None, True, "", "EUR"),
        ("a fine of 100 euros a day", "100", None, None, False, "a day", "EUR"),
    ],
)
def test_figures_values_ranges_approximations_units_and_currencies(
    text, value, low, high, approximate, unit, currency
):
    (figure,) = find_figures(text)
    as_text = lambda number: None if number is None else str(number)  # noqa: E731
    assert (as_text(figure.value), as_text(figure.low), as_text(figure.high)) == (value, low, high)
    assert (figure.approximate, figure.unit, figure.currency) == (approximate, unit, currency)


def test_years_and_days_of_the_month_are_not_figures():
    assert find_figures("On 19 August 2015, one British and one French commander") == []


def test_an_observation_is_dated_by_its_own_clause_else_by_its_statement():
    result = draft(
        "Eurotunnel said earlier this week that attempts had fallen to around 150 a night, "
        "down from a high of 2,000 at the end of July."
    )
    dates = {o["value"]: (o["date"], o["date_precision"]) for o in result.of("observation")}
    assert dates == {"150": ("2015-08-17", "week"), "2000": ("2015-07-21", "late-month")}
    assert all(o["reported_by"] == ["eurotunnel"] for o in result.of("observation"))


def test_events_planned_or_happened_from_tense_and_date():
    result = draft(
        "Robert Ashdown is due to meet Pierre Lacombe in Paris on Monday.\n\n"
        "She is the first minister to go there since the crisis escalated earlier this year."
    )
    events = {(e["date"], e["date_precision"], e["status"]) for e in result.of("event")}
    assert events == {("2015-08-24", "day", "planned"), ("2015-01-01", "year", "happened")}


def test_measures_from_what_a_deal_includes_and_what_is_deployed():
    result = draft(
        "British police officers will be deployed to Calais, the Home Office said Thursday.\n\n"
        "The deal includes extra French policing units, additional freight searches, and "
        "fencing, cameras and lighting."
    )
    titles = [m["title"] for m in result.of("measure")]
    assert titles == [
        "British police officers deployed to Calais",
        "Extra French policing units",
        "Additional freight searches",
        "Fencing, cameras and lighting",
    ]
    statuses = {s["status"] for s in result.of("measurestatus")}
    assert statuses == {"announced"}


def test_every_drafted_record_cites_a_passage_of_at_most_300_characters_and_is_unreviewed():
    long_paragraph = "The minister said the plan would work. " + "It will. " * 60
    result = draft(long_paragraph)
    passages = {p["slug"]: p for p in result.of("passage")}
    assert passages and all(len(p["text"]) <= 300 for p in passages.values())
    for model in ("event", "measure", "statement", "observation"):
        for record in result.of(model):
            assert record["reviewed"] is False
            assert record["passages"] and all(p[0] in passages for p in record["passages"])


def records(*items):
    return [{"model": f"timeline.{model}", "fields": fields} for model, fields in items]


def test_the_comparison_counts_found_extra_recall_and_precision():
    fixture = records(
        ("actor", {"slug": "home-office", "name": "Home Office"}),
        ("actor", {"slug": "eurotunnel", "name": "Eurotunnel"}),
        ("actor", {"slug": "keith-vaz", "name": "Keith Vaz"}),
        ("actor", {"slug": "calais-migrants", "name": "Migrants in Calais"}),
        ("statement", {"kind": "quotation", "text": "We must act.", "speaker": ["keith-vaz"]}),
        ("statement", {"kind": "quotation", "text": "Now.", "speaker": ["keith-vaz"]}),
        ("observation", {"value": 150, "date": "2015-08-17", "date_precision": "week"}),
    )
    draft_records = records(
        ("actor", {"slug": "eurotunnel", "name": "Eurotunnel"}),
        ("actor", {"slug": "migrants-in-calais", "name": "Migrants in Calais"}),
        ("actor", {"slug": "africa", "name": "Africa"}),
        # the right words by the wrong speaker are not found
        ("statement", {"kind": "quotation", "text": "“We must act,”", "speaker": ["keith-vaz"]}),
        ("statement", {"kind": "quotation", "text": "Now.", "speaker": ["eurotunnel"]}),
        ("observation", {"value": "150", "date": "2015-08-17", "date_precision": "week"}),
        ("observation", {"value": "2000", "date": "2015-08-17", "date_precision": "week"}),
    )
    scores = {s.category: s for s in compare(draft_records, fixture)}
    # the draft names Keith Vaz as a speaker without writing his record: the timeline has him
    actors = scores["actors"]
    assert (actors.expected, actors.proposed, actors.found, actors.extra_count) == (4, 4, 3, 1)
    assert actors.recall == 0.75 and actors.precision == 0.75
    assert actors.missed == ["home-office"] and actors.extra == ["africa"]
    quotations = scores["quotations"]
    assert (quotations.found, quotations.recall, quotations.precision) == (1, 0.5, 0.5)
    observations = scores["observations"]
    assert (observations.found, observations.recall, observations.precision) == (1, 1.0, 0.5)
    reported = scores["reported statements"]
    assert (reported.expected, reported.proposed, reported.recall, reported.precision) == (
        0,
        0,
        1.0,
        1.0,
    )
