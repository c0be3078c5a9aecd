"""The downloads of every table and of the timeline, read back by pandas, openpyxl and csv."""

import csv
import datetime
import io
import json

import openpyxl
import pandas as pd
import pytest
from django.urls import reverse

from tests.evidence_records import make_evidence, make_many_evidence, timeline_page_entries
from tests.factories import EventFactory, SourceFactory
from timeline.models import Statement
from timeline.public import timeline_download

TABLES = {
    "event": ("Events", ["slug", "page_url", "date", "date_iso", "date_display", "summary"]),
    "measure": ("Measures", ["slug", "description", "category", "status", "events"]),
    "statement": ("Statements", ["slug", "text", "speaker", "speaker_role", "events"]),
    "actor": ("Actors", ["slug", "name", "kind", "country", "description"]),
    "source": ("Sources", ["slug", "title", "publisher", "date", "url", "language"]),
    "indicator": (
        "Indicators",
        ["slug", "page_url", "name", "unit", "observation_count", "first_date", "last_date"],
    ),
}
SOURCE_FIELDS = ["sources", "source_titles", "source_publishers", "source_dates", "source_urls"]


def download(client, path, export_format, **params):
    response = client.get(path, {"_export": export_format, **params})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def uk_france(db):
    """An event whose text and source hold a non-ASCII dash, with a source that has a URL."""
    source = SourceFactory(
        slug="afp-uk-france",
        title="UK–France deal",
        publisher="AFP",
        published_on=datetime.date(2015, 8, 20),
        url="https://news.example/uk-france",
    )
    return EventFactory(
        slug="uk-france-deal",
        title="UK–France agreement on Calais",
        date=datetime.date(2015, 8, 20),
        sources=[source],
    )


@pytest.mark.parametrize("name", TABLES)
def test_pandas_reads_every_tables_csv_with_its_fields(client, article, name):
    content = download(client, reverse(f"timeline:{name}-list"), "csv")
    assert content.startswith("\ufeff".encode())  # the byte-order mark Excel needs
    frame = pd.read_csv(io.BytesIO(content))
    expected = TABLES[name][1] + (
        SOURCE_FIELDS if name in ("event", "measure", "statement") else []
    )
    assert set(expected) <= set(frame.columns)
    assert len(frame) > 0


def test_the_csv_keeps_uk_france_intact_for_pandas_and_csv(client, uk_france):
    content = download(client, reverse("timeline:event-list"), "csv")
    frame = pd.read_csv(io.BytesIO(content))
    assert frame.loc[0, "title"] == "UK–France agreement on Calais"
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0]["title"] == "UK–France agreement on Calais"
    assert rows[0]["source_titles"] == "UK–France deal"
    assert rows[0]["source_publishers"] == "AFP"
    assert rows[0]["source_dates"] == "2015-08-20"
    assert rows[0]["source_urls"] == "https://news.example/uk-france"


def test_the_json_keys_are_field_names_and_many_values_are_lists(client, uk_france):
    [row] = json.loads(download(client, reverse("timeline:event-list"), "json"))
    assert row["slug"] == "uk-france-deal"
    assert row["date"] == "2015-08-20"
    assert row["date_precision"] == "day"
    assert row["date_display"] == "20 August 2015"
    assert row["page_url"] == "http://testserver/events/uk-france-deal/"
    assert row["sources"] == ["afp-uk-france"]
    assert row["source_urls"] == ["https://news.example/uk-france"]


def test_a_statement_row_gives_the_speakers_role_then_and_its_links(client, article):
    rows = json.loads(
        download(client, reverse("timeline:statement-list"), "json", actor="keith-vaz")
    )
    row = next(r for r in rows if r["slug"] == "keith-vaz-domino-principle")
    statement = Statement.objects.get(slug="keith-vaz-domino-principle")
    assert row["speaker"] == "keith-vaz"
    assert row["speaker_role"] == statement.speaker_role.title
    # Reported without a day of its own: on or before publication, written as that day.
    assert (row["date_precision"], row["date_iso"]) == ("by", "2015-08-19")
    assert set(row["measures"]) == {m.slug for m in statement.measures.all()}
    assert set(row["events"]) == {e.slug for e in statement.events.all()}


@pytest.mark.parametrize("name", TABLES)
def test_openpyxl_reads_every_tables_xlsx_on_a_sheet_named_after_it_with_dates(
    client, article, name
):
    content = download(client, reverse(f"timeline:{name}-list"), "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [TABLES[name][0]]
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert set(TABLES[name][1]) <= set(header)
    if "date" in header:
        dates = [row[header.index("date")] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert dates and all(isinstance(day, datetime.datetime) for day in dates)


def test_the_indicators_download_gives_each_indicators_count_and_dates(client, db):
    make_evidence()
    url = reverse("timeline:indicator-list")
    [row] = json.loads(download(client, url, "json"))
    assert row["slug"] == "tunnel-attempts-a-night"
    assert row["page_url"] == "http://testserver/indicators/tunnel-attempts-a-night/"
    assert (row["observation_count"], row["first_date"], row["last_date"]) == (
        4,
        "2015-07-21",
        "2015-08-19",
    )
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, url, "xlsx")))
    header, values = workbook.active.iter_rows(values_only=True)
    assert values[header.index("first_date")] == datetime.datetime(2015, 7, 21)
    frame = pd.read_csv(io.BytesIO(download(client, url, "csv")))
    assert frame.loc[0, "name"] == "attempts to enter the Channel Tunnel a night"


def test_the_indicators_page_links_its_downloads(client, db):
    html = client.get(reverse("timeline:indicator-list")).content.decode()
    for export_format in ("csv", "json", "xlsx"):
        assert f'href="?_export={export_format}" download' in html


def test_pandas_reads_xlsx_dates_as_dates_and_text_intact(client, uk_france):
    content = download(client, reverse("timeline:event-list"), "xlsx")
    frame = pd.read_excel(io.BytesIO(content), sheet_name="Events")
    assert frame.loc[0, "date"] == pd.Timestamp("2015-08-20")
    assert frame.loc[0, "title"] == "UK–France agreement on Calais"


def test_the_timeline_downloads_every_entry_with_its_filters(client, article):
    content = download(client, reverse("timeline:timeline"), "csv", actor="keith-vaz")
    frame = pd.read_csv(io.BytesIO(content), keep_default_na=False)
    assert list(frame.columns) == timeline_download.FIELDS
    entries = list(zip(frame["kind"], frame["slug"], strict=True))
    assert entries == timeline_page_entries(client, {"actor": "keith-vaz"})
    assert set(frame["kind"]) == {"event", "statement"}


def test_the_timeline_json_and_xlsx_hold_every_entry_in_order(client, article):
    rows = json.loads(download(client, reverse("timeline:timeline"), "json"))
    on_the_page = timeline_page_entries(client)
    assert [(row["kind"], row["slug"]) for row in rows] == on_the_page
    assert rows[0]["date_precision"] == "year"  # the widest period first, as on the page
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, "/", "xlsx")))
    assert workbook.sheetnames == ["Timeline"]
    assert workbook.active.max_row == 1 + len(on_the_page)


EVIDENCE_DATES = {"start": "2015-07-01", "end": "2018-03-01"}


@pytest.mark.parametrize("export_format", ["csv", "json", "xlsx"])
def test_every_timeline_download_holds_the_pages_status_changes_and_figures(
    client, db, export_format
):
    make_evidence()
    content = download(client, reverse("timeline:timeline"), export_format, **EVIDENCE_DATES)
    if export_format == "csv":
        frame = pd.read_csv(io.BytesIO(content), keep_default_na=False)
    elif export_format == "json":
        frame = pd.DataFrame(json.loads(content))
    else:
        frame = pd.read_excel(io.BytesIO(content), keep_default_na=False)
    entries = list(zip(frame["kind"], frame["slug"], strict=True))
    assert entries == timeline_page_entries(client, EVIDENCE_DATES)
    rows = dict(zip(entries, (row for _, row in frame.iterrows()), strict=True))
    change = rows["status", "sandhurst-in-force"]
    assert (change["measure"], change["status"]) == ("sandhurst-treaty", "in-force")
    assert change["page_url"] == "http://testserver/measures/sandhurst-treaty/"
    figure = rows["observation", "tunnel-attempts-late-july-2015"]
    assert figure["indicator"] == "tunnel-attempts-a-night"
    assert float(figure["value"]) == 2000
    assert (figure["as_printed"], figure["reported_by"]) == ("about 2,000", "eurotunnel")
    assert (figure["date_precision"], figure["date_iso"]) == ("late-month", "2015-07")


def test_the_xlsx_gives_a_figures_value_as_a_number_and_its_date_as_a_date(client, db):
    make_evidence()
    workbook = openpyxl.load_workbook(
        io.BytesIO(download(client, reverse("timeline:timeline"), "xlsx"))
    )
    header, *rows = workbook.active.iter_rows(values_only=True)
    (figure,) = [row for row in rows if row[header.index("slug")] == "tunnel-attempts-exact"]
    assert figure[header.index("value")] == 1200
    assert figure[header.index("date")] == datetime.datetime(2015, 8, 4)


def test_the_timeline_download_costs_the_same_queries_for_ten_or_three_hundred_records(
    client, make_records, django_assert_max_num_queries, settings
):
    make_records(300)
    make_many_evidence(150)
    with django_assert_max_num_queries(20):
        rows = json.loads(download(client, reverse("timeline:timeline"), "json"))
    assert len(rows) == len(timeline_page_entries(client))
    assert {"status", "observation"} <= {row["kind"] for row in rows}


def test_the_timeline_links_its_downloads_story_calendar_and_feed_with_its_filters(client, article):
    html = client.get(reverse("timeline:timeline"), {"actor": "keith-vaz"}).content.decode()
    for link in [
        "?actor=keith-vaz&amp;_export=csv",
        "?actor=keith-vaz&amp;_export=xlsx",
        reverse("timeline:story") + "?actor=keith-vaz",
        reverse("timeline:calendar") + "?actor=keith-vaz",
        reverse("timeline:feed") + "?actor=keith-vaz",
        reverse("timeline:timeline-json") + "?actor=keith-vaz",
    ]:
        assert f'href="{link}"' in html, link
