"""The tables: sorting, filtering, pagination and exports of the filtered rows."""

import csv
import io
import json
from html.parser import HTMLParser

import django_tables2
import openpyxl
import pytest
from django.urls import reverse

from tests.factories import ActorFactory, SourceFactory
from timeline.models import Event
from timeline.public import tables, views


def body(response):
    """The whole body of a response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def row_slugs(response):
    return [row.record.slug for row in response.context_data["table"].paginated_rows]


@pytest.mark.parametrize(
    "name", ["event-list", "measure-list", "statement-list", "actor-list", "source-list"]
)
def test_each_table_lists_its_records_with_links_to_their_pages(client, article, name):
    response = client.get(reverse(f"timeline:{name}"))

    assert response.status_code == 200
    records = response.context_data["table"].data
    assert len(records) > 0
    for record in records:
        assert record.get_absolute_url() in response.content.decode()


def test_events_sort_by_date_oldest_first(client, article):
    slugs = row_slugs(client.get(reverse("timeline:event-list"), {"sort": "date"}))

    assert slugs[0] in {
        "calais-migrant-crisis-escalates-2015",
        "calais-crisis-strains-uk-france-relations",
    }
    assert slugs[-1] == "uk-france-calais-agreement"


def test_events_sort_by_date_newest_first(client, article):
    slugs = row_slugs(client.get(reverse("timeline:event-list"), {"sort": "-date"}))

    assert slugs[0] == "uk-france-calais-agreement"
    assert slugs[-1] in {
        "calais-migrant-crisis-escalates-2015",
        "calais-crisis-strains-uk-france-relations",
    }


def test_statements_sort_by_speaker(client, article):
    response = client.get(reverse("timeline:statement-list"), {"sort": "speaker"})

    speakers = [row.record.speaker.name for row in response.context_data["table"].paginated_rows]
    assert speakers == sorted(speakers)


def test_sources_sort_by_publication_date_newest_first(client, article):
    SourceFactory(slug="later-source", published_on="2016-03-01")

    slugs = row_slugs(client.get(reverse("timeline:source-list"), {"sort": "-date"}))

    assert slugs == ["later-source", "afp-2015-08-19-uk-police-head-to-france"]


def test_sorted_column_header_says_its_direction(client, article):
    response = client.get(reverse("timeline:event-list"), {"sort": "-date"})

    assert 'aria-sort="descending"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        (
            "event-list",
            {"actor": "theresa-may"},
            {"theresa-may-visits-calais", "uk-france-calais-agreement"},
        ),
        (
            "event-list",
            {"place": "channel-tunnel"},
            {"tunnel-intrusion-attempts-peak", "tunnel-intrusion-attempts-fall"},
        ),
        ("event-list", {"q": "visits"}, {"theresa-may-visits-calais"}),
        ("measure-list", {"status": "proposed"}, {"north-coast-agreements"}),
        (
            "measure-list",
            {"category": "policing"},
            {
                "british-police-officers-deployed-to-calais",
                "extra-french-policing-units",
                "additional-freight-searches",
            },
        ),
        (
            "measure-list",
            {"actor": "french-interior-ministry"},
            {"calais-command-and-control-centre", "extra-french-policing-units"},
        ),
        (
            "measure-list",
            {"actor": "theresa-may"},
            {
                "british-police-officers-deployed-to-calais",
                "calais-command-and-control-centre",
                "extra-french-policing-units",
                "additional-freight-searches",
                "calais-railhead-security",
            },
        ),
        ("statement-list", {"actor": "eurotunnel"}, {"eurotunnel-intrusion-attempts-down-to-150"}),
        (
            "statement-list",
            {"kind": "quotation", "q": "north coast"},
            {"keith-vaz-agreements-across-north-coast"},
        ),
        (
            "statement-list",
            {"end": "2015-08-19"},
            {
                "eurotunnel-intrusion-attempts-down-to-150",
                "keith-vaz-domino-principle",
                "keith-vaz-welcomes-agreement-warns-of-other-ports",
                "keith-vaz-agreements-across-north-coast",
            },
        ),
        (
            "statement-list",
            {"source": "afp-2015-08-19-uk-police-head-to-france", "actor": "home-office"},
            {
                "home-office-british-police-to-be-deployed",
                "home-office-centre-will-find-and-disrupt",
            },
        ),
        ("measure-list", {"source": "AFP", "status": "proposed"}, {"north-coast-agreements"}),
        ("event-list", {"source": "the guardian"}, set()),
        ("actor-list", {"kind": "person"}, {"theresa-may", "bernard-cazeneuve", "keith-vaz"}),
        ("actor-list", {"q": "cazeneuve"}, {"bernard-cazeneuve"}),
        ("source-list", {"publisher": "AFP"}, {"afp-2015-08-19-uk-police-head-to-france"}),
    ],
)
def test_table_filters_narrow_the_rows(client, article, name, params, expected):
    response = client.get(reverse(f"timeline:{name}"), params)

    assert set(row_slugs(response)) == expected


def test_tables_paginate_50_rows_a_page(client, article):
    ActorFactory.create_batch(60)

    first = client.get(reverse("timeline:actor-list"))
    second = client.get(reverse("timeline:actor-list"), {"page": 2})

    assert len(row_slugs(first)) == 50
    assert len(row_slugs(second)) == 73 - 50
    assert 'href="?page=2"' in first.content.decode()


def test_a_page_never_holds_more_than_100_rows_whatever_the_url_asks(client, article):
    ActorFactory.create_batch(120)

    response = client.get(reverse("timeline:actor-list"), {"per_page": 100000})

    assert len(row_slugs(response)) == 100


def test_actor_table_counts_each_actors_records(client, article):
    response = client.get(reverse("timeline:actor-list"), {"q": "home office"})

    (row,) = [
        row
        for row in response.context_data["table"].paginated_rows
        if row.record.slug == "home-office"
    ]
    assert (row.record.statement_count, row.record.event_count, row.record.measure_count) == (
        2,
        1,
        2,
    )


def test_csv_export_has_the_filtered_rows_with_plain_text_values(client, article):
    response = client.get(
        reverse("timeline:event-list"), {"actor": "theresa-may", "sort": "-date", "_export": "csv"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="calais-events.csv"' in response["Content-Disposition"]
    content = body(response).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["title"] for row in rows] == [
        "May and Cazeneuve to sign UK–France agreement on Calais",
        "Theresa May visits Calais",
    ]
    assert rows[0]["date"] == "2015-08-20"
    assert rows[0]["date_precision"] == "day"
    assert rows[0]["slug"] == "uk-france-calais-agreement"
    assert "Theresa May; UK Government" in rows[0]["actor_names"]
    assert "<" not in content


def test_json_export_has_the_filtered_rows(client, article):
    response = client.get(
        reverse("timeline:statement-list"), {"actor": "keith-vaz", "_export": "json"}
    )

    assert response["Content-Type"] == "application/json"
    rows = json.loads(body(response))
    assert len(rows) == 3
    assert {row["speaker_name"] for row in rows} == {"Keith Vaz"}
    assert {row["date_display"] for row in rows} == {"by 19 August 2015"}
    assert any(row["text"].startswith("We must be aware of the dangers") for row in rows)


def test_xlsx_export_is_a_workbook_of_the_filtered_rows(client, article):
    response = client.get(
        reverse("timeline:measure-list"), {"category": "policing", "_export": "xlsx"}
    )

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert "title" in header and "category" in header
    assert len(body) == 3
    assert {row[header.index("category")] for row in body} == {"policing"}


def test_export_offers_only_csv_json_and_xlsx(client, article):
    response = client.get(reverse("timeline:event-list"), {"_export": "latex"})

    assert response["Content-Type"].startswith("text/html")


def test_export_links_keep_the_filters(client, article):
    response = client.get(reverse("timeline:event-list"), {"actor": "theresa-may"})

    assert "?actor=theresa-may&amp;_export=csv" in response.content.decode()


class TableCells(HTMLParser):
    """The column headers of a table page and, for each body row, its cells' data-label."""

    def __init__(self):
        super().__init__()
        self.headers, self.rows, self.in_header = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "th":
            self.in_header = True
            self.headers.append("")
        elif tag == "tr":
            self.rows.append([])
        elif tag == "td" and "data-label" in attrs:
            self.rows[-1].append(attrs["data-label"])

    def handle_endtag(self, tag):
        if tag == "th":
            self.in_header = False

    def handle_data(self, data):
        if self.in_header:
            self.headers[-1] += data.strip()


@pytest.mark.parametrize(
    "name", ["event-list", "measure-list", "statement-list", "actor-list", "source-list"]
)
def test_every_row_has_one_cell_per_column_labelled_with_its_header(client, article, name):
    response = client.get(reverse(f"timeline:{name}"))
    cells = TableCells()
    cells.feed(response.content.decode())

    headers = [column.header for column in response.context_data["table"].columns]
    body_rows = [row for row in cells.rows if row]
    assert cells.headers == headers
    assert len(body_rows) == len(response.context_data["table"].page.object_list)
    assert all(row == headers for row in body_rows)


def test_table_dates_are_time_elements_at_their_precision(client, article):
    event = Event.objects.get(slug="theresa-may-visits-calais")

    page = client.get(reverse("timeline:event-list")).content.decode()

    assert f'<time datetime="{event.date_machine}">{event.date_display}</time>' in page


def test_an_empty_table_says_so_across_all_its_columns(client, db):
    page = client.get(reverse("timeline:event-list")).content.decode()

    # Date, event, status, place, actors, sources.
    assert '<td colspan="6">No records match.</td>' in page


def test_a_column_added_to_a_table_class_shows_on_the_page_and_in_every_download(
    client, article, monkeypatch
):
    """The table class is the one definition of a table: a new column needs no other change."""

    class EventTableWithIdentifier(tables.EventTable):
        identifier = django_tables2.Column(verbose_name="Identifier", accessor="slug")

        class Meta(tables.EventTable.Meta):
            pass

    monkeypatch.setattr(views.EventListView, "table_class", EventTableWithIdentifier)
    slug = "theresa-may-visits-calais"
    url = reverse("timeline:event-list")

    cells = TableCells()
    cells.feed(client.get(url).content.decode())
    csv_rows = list(
        csv.DictReader(io.StringIO(body(client.get(url, {"_export": "csv"})).decode("utf-8-sig")))
    )
    json_rows = json.loads(body(client.get(url, {"_export": "json"})))
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url, {"_export": "xlsx"}).content)).active
    xlsx_header, *xlsx_rows = sheet.iter_rows(values_only=True)

    assert cells.headers[-1] == "Identifier"
    assert all(row[-1] == "Identifier" for row in cells.rows if row)
    assert f'<td data-label="Identifier">{slug}</td>' in client.get(url).content.decode()
    # Downloads name their fields (docs/data.md): the column's name.
    assert slug in [row["identifier"] for row in csv_rows]
    assert slug in [row["identifier"] for row in json_rows]
    assert slug in [row[xlsx_header.index("identifier")] for row in xlsx_rows]


def test_the_statements_table_shows_the_speakers_role_then_and_links_the_record_apart(
    client, article
):
    page = client.get(reverse("timeline:statement-list")).content.decode()
    statement = reverse("timeline:statement-detail", args=["keith-vaz-domino-principle"])

    assert '<td data-label="Role then">Chair of the Home Affairs Committee</td>' in page
    # The words are text; the link to the statement is a short one after them.
    assert "“We must be aware of the dangers of the domino principle." in page
    assert f'<a href="{statement}">“We must' not in page
    assert f'<a class="details" href="{statement}">Details' in page


def test_reported_speech_in_the_statements_table_is_not_quoted(client, article):
    page = client.get(reverse("timeline:statement-list")).content.decode()

    assert "“Welcomed the agreement" not in page
    assert "Welcomed the agreement, but warned" in page


def test_actor_table_counts_the_measures_of_their_events_too(client, article):
    response = client.get(reverse("timeline:actor-list"), {"q": "theresa may"})

    (row,) = [
        row
        for row in response.context_data["table"].paginated_rows
        if row.record.slug == "theresa-may"
    ]
    assert row.record.measure_count == 5


def test_a_table_filters_by_neither_date_of_a_reversed_range_and_says_why(client, article):
    response = client.get(
        reverse("timeline:statement-list"),
        {"start": "2015-08-24", "end": "2015-08-01", "actor": "keith-vaz"},
    )

    assert len(row_slugs(response)) == 3  # all of Keith Vaz's statements, whatever their date
    html = response.content.decode()
    assert "The end date must not be before the start date." in html
    assert "A record counts if its period overlaps the dates" in html


def test_a_table_shows_an_unknown_actor_as_an_error_and_ignores_it(client, article):
    response = client.get(reverse("timeline:event-list"), {"actor": "nobody"})

    assert "Select a valid choice" in response.content.decode()
    assert len(row_slugs(response)) == Event.objects.count()


def test_the_events_tables_places_link_to_their_pages(client, article):
    """A place is a page: the events table links it there, and an event with no place says so."""
    html = client.get(reverse("timeline:event-list")).content.decode()

    assert f'<a href="{reverse("timeline:place-detail", args=["calais"])}">Calais</a>' in html
    assert '<td data-label="Place">—</td>' in html
