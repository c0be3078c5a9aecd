"""Detail pages, 404s, methods allowed, and markup rules every public page keeps."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import EventFactory, PlaceFactory
from timeline.models import Place, Source, place_url

PAGES = [
    reverse("timeline:timeline"),
    reverse("timeline:event-list"),
    reverse("timeline:measure-list"),
    reverse("timeline:statement-list"),
    reverse("timeline:actor-list"),
    reverse("timeline:source-list"),
    reverse("timeline:event-detail", args=["uk-france-calais-agreement"]),
    reverse("timeline:measure-detail", args=["british-police-officers-deployed-to-calais"]),
    reverse("timeline:statement-detail", args=["keith-vaz-domino-principle"]),
    reverse("timeline:actor-detail", args=["theresa-may"]),
    reverse("timeline:source-detail", args=["afp-2015-08-19-uk-police-head-to-france"]),
    reverse("timeline:place-detail", args=["calais"]),
]


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_event_page_shows_actors_with_capacity_and_role_measures_statements_place(client, article):
    html = html_of(client, reverse("timeline:event-detail", args=["uk-france-calais-agreement"]))

    assert "May and Cazeneuve to sign UK–France agreement on Calais" in html
    assert '<time datetime="2015-08-20">20 August 2015</time>' in html
    assert reverse("timeline:actor-detail", args=["bernard-cazeneuve"]) in html
    assert "<td>signatory</td><td>Minister of the Interior</td>" in html
    assert reverse("timeline:measure-detail", args=["calais-railhead-security"]) in html
    assert reverse("timeline:statement-detail", args=["keith-vaz-domino-principle"]) in html
    assert reverse("timeline:place-detail", args=["calais"]) in html
    assert "UK police head to France to counter migrant traffickers" in html


def test_event_page_shows_its_observations_as_printed(client, article):
    url = reverse("timeline:event-detail", args=["migrants-camped-in-calais-august-2015"])

    html = html_of(client, url)

    assert '<data value="3000.00"><strong>Some 3,000</strong></data>' in html
    assert reverse("timeline:indicator-detail", args=["people-camped-in-calais"]) in html


def test_measure_page_shows_status_responsible_actors_and_events(client, article):
    url = reverse("timeline:measure-detail", args=["british-police-officers-deployed-to-calais"])
    html = html_of(client, url)

    assert "announced" in html
    assert "policing" in html
    assert reverse("timeline:actor-detail", args=["home-office"]) in html
    assert reverse("timeline:actor-detail", args=["british-police"]) in html
    assert (
        reverse("timeline:event-detail", args=["home-office-announces-police-deployment"]) in html
    )
    assert reverse("timeline:event-detail", args=["uk-france-calais-agreement"]) in html
    assert (
        reverse("timeline:statement-detail", args=["home-office-british-police-to-be-deployed"])
        in html
    )


def test_statement_page_shows_the_words_speaker_role_and_what_it_is_about(client, article):
    html = html_of(
        client, reverse("timeline:statement-detail", args=["keith-vaz-domino-principle"])
    )

    assert "We must be aware of the dangers of the domino principle." in html
    assert "Chair of the Home Affairs Committee" in html
    assert reverse("timeline:actor-detail", args=["keith-vaz"]) in html
    assert reverse("timeline:measure-detail", args=["north-coast-agreements"]) in html
    assert reverse("timeline:event-detail", args=["uk-france-calais-agreement"]) in html


def test_actor_page_shows_roles_and_statements_over_time(client, article):
    response = client.get(reverse("timeline:actor-detail", args=["keith-vaz"]))
    html = response.content.decode()

    assert "Chair of the Home Affairs Committee" in html
    assert "16 July 2007" in html and "6 September 2016" in html
    slugs = [e.record.slug for group in response.context_data["groups"] for e in group.entries]
    assert set(slugs) == {
        "keith-vaz-domino-principle",
        "keith-vaz-agreements-across-north-coast",
        "keith-vaz-welcomes-agreement-warns-of-other-ports",
        "illegal-activity-at-other-channel-ports",
    }
    assert "Closing off one route will only mean the problem moves to another port." in html


def test_actor_page_lists_events_measures_and_statements_in_order(client, article):
    response = client.get(reverse("timeline:actor-detail", args=["home-office"]))

    entries = [e for group in response.context_data["groups"] for e in group.entries]
    assert {e.kind for e in entries} == {"event", "measure", "statement"}
    assert [e.record.date for e in entries] == sorted(e.record.date for e in entries)
    assert "(announced)" in response.content.decode()


def test_actor_page_lists_the_measures_of_their_events_and_says_so(client, article):
    response = client.get(reverse("timeline:actor-detail", args=["theresa-may"]))

    measures = [e for group in response.context_data["groups"] for e in group.entries]
    measures = [e.record for e in measures if e.kind == "measure"]
    assert len(measures) == 5
    assert {m.concern for m in measures} == {("at an event they took part in",)}
    assert "Their part</span> at an event they took part in" in response.content.decode()


def test_source_page_links_to_its_entries_on_the_timeline(client, article):
    slug = "afp-2015-08-19-uk-police-head-to-france"
    html = html_of(client, reverse("timeline:source-detail", args=[slug]))

    assert f'<a href="{reverse("timeline:timeline")}?source={slug}">' in html


def test_source_page_lists_every_record_that_cites_it(client, article):
    url = reverse("timeline:source-detail", args=["afp-2015-08-19-uk-police-head-to-france"])
    response = client.get(url)

    source = Source.objects.get()
    cited = source.events.count() + source.measures.count() + source.statements.count()
    assert response.context_data["page_obj"].paginator.count == cited
    assert "AFP" in response.content.decode()


def place_page_slugs(client, slug, **params):
    response = client.get(reverse("timeline:place-detail", args=[slug]), params)
    assert response.status_code == 200
    # A Jinja2 page: its context is the response's context_data, not the test client's.
    return [e.record.slug for group in response.context_data["groups"] for e in group.entries]


def test_place_page_shows_its_events_and_what_was_decided_or_said_about_them(client, article):
    slugs = place_page_slugs(client, "channel-tunnel")

    assert set(slugs) == {
        "tunnel-intrusion-attempts-peak",
        "tunnel-intrusion-attempts-fall",
        "eurotunnel-intrusion-attempts-down-to-150",  # about both of them
    }


def test_place_page_lists_the_measures_agreed_there(client, article):
    slugs = place_page_slugs(client, "calais")

    assert "uk-france-calais-agreement" in slugs
    assert "calais-railhead-security" in slugs  # agreed at it, in Calais
    assert "tunnel-intrusion-attempts-peak" not in slugs  # at the Channel Tunnel
    assert "north-coast-agreements" not in slugs  # agreed at no event
    assert len(slugs) == len(set(slugs))


def test_place_page_names_the_place_and_links_to_its_timeline(client, article):
    html = html_of(client, reverse("timeline:place-detail", args=["calais"]))

    assert "<title>Calais — Calais Timeline</title>" in html
    assert "<h1>Calais</h1>" in html
    assert "French ferry port on the Channel coast" in html
    assert f'<a href="{reverse("timeline:timeline")}?place=calais">' in html
    assert '<span class="badge badge-place">Place</span> France' in html


def test_place_page_pages_its_timeline(client, db):
    place = PlaceFactory(slug="dover")
    EventFactory.create_batch(60, place=place)

    first = client.get(reverse("timeline:place-detail", args=["dover"]))
    second = client.get(reverse("timeline:place-detail", args=["dover"]), {"page": 2})

    assert sum(len(group.entries) for group in first.context_data["groups"]) == 50
    assert sum(len(group.entries) for group in second.context_data["groups"]) == 10
    assert '<a href="?page=2" rel="next">' in first.content.decode()


def test_every_place_link_goes_to_the_place_page(client, article):
    place = Place.objects.get(slug="calais")
    page = reverse("timeline:place-detail", args=["calais"])

    assert place.get_absolute_url() == page
    assert place_url("calais") == page
    event = html_of(client, reverse("timeline:event-detail", args=["theresa-may-visits-calais"]))
    assert f'<a href="{page}">Calais</a>' in event
    timeline = html_of(client, reverse("timeline:timeline"))
    assert f'<span class="label">Place</span> <a href="{page}">Calais</a>' in timeline
    assert "?place=calais" not in timeline


@pytest.mark.parametrize("kind", ["event", "measure", "statement", "actor", "source", "place"])
def test_unknown_slug_gives_the_not_found_page(client, article, kind):
    response = client.get(reverse(f"timeline:{kind}-detail", args=["no-such-record"]))

    assert response.status_code == 404
    assert "There is no page at this address." in response.content.decode()
    assert reverse("timeline:timeline") in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_refuse_post(client, article, url):
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_answer_head(client, article, url):
    assert client.head(url).status_code == 200


@pytest.mark.parametrize("url", [*PAGES, "/events/no-such-record/"])
def test_pages_have_no_inline_script_or_style(client, article, url):
    html = client.get(url).content.decode()

    # A JSON-LD data block is never run, and no Content-Security-Policy applies to it.
    assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>", html)
    assert not re.search(r"<style\b", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.parametrize("url", PAGES)
def test_pages_link_the_stylesheet_and_the_navigation(client, article, url):
    html = html_of(client, url)

    assert 'href="/static/timeline/site.css"' in html
    for name in [
        "timeline",
        "event-list",
        "measure-list",
        "statement-list",
        "actor-list",
        "source-list",
    ]:
        assert f'href="{reverse(f"timeline:{name}")}"' in html
    assert f'href="{reverse("admin:index")}"' in html


def test_filter_forms_use_get(client, article):
    for url in [reverse("timeline:timeline"), reverse("timeline:event-list")]:
        assert 'method="get"' in html_of(client, url)
        assert 'method="post"' not in html_of(client, url)


# What a reader sees of statements, titles, links and accessibility on every public page.


@pytest.mark.parametrize(
    ("url", "reported", "quoted"),
    [
        (
            reverse("timeline:event-detail", args=["uk-france-calais-agreement"]),
            "Keith Vaz welcomed the agreement, but warned",
            "Keith Vaz: “We need agreements with countries",
        ),
        (
            reverse("timeline:measure-detail", args=["calais-command-and-control-centre"]),
            "Home Office: British police officers are to be deployed",
            "Home Office: “will find and disrupt organised criminals",
        ),
    ],
)
def test_reported_speech_is_never_shown_in_quotation_marks(client, article, url, reported, quoted):
    """A journalist copying "Statements about it" must not misquote reported speech."""
    html = html_of(client, url)

    assert reported in html
    assert quoted in html
    assert "“Welcomed the agreement" not in html
    assert "“British police officers are to be deployed" not in html


def test_statement_headings_on_a_timeline_are_distinct(client, article):
    html = html_of(client, reverse("timeline:actor-detail", args=["keith-vaz"]))

    headings = re.findall(r'<h4 class="entry-title">(.*?)</h4>', html)
    texts = [re.sub(r"<[^>]+>", "", heading) for heading in headings]
    assert len(texts) == 4
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize(
    ("url", "title"),
    [
        (reverse("timeline:timeline"), "Timeline"),
        (reverse("timeline:timeline") + "?actor=theresa-may", "Theresa May"),
        (reverse("timeline:timeline") + "?kind=measure&q=police", "“police”, Measures"),
        (reverse("timeline:event-list"), "Events"),
        (reverse("timeline:event-list") + "?place=calais", "Events: Calais"),
        (reverse("timeline:event-detail", args=["uk-france-calais-agreement"]), None),
        (reverse("timeline:actor-detail", args=["theresa-may"]), "Theresa May"),
    ],
)
def test_each_page_and_filtered_view_has_its_own_title(client, article, url, title):
    html = html_of(client, url)

    if title is None:
        # The article reports the agreement as to be signed: a planned event.
        title = "Planned: May and Cazeneuve to sign UK–France agreement on Calais"
    assert f"<title>{title} — Calais Timeline</title>" in html
    assert f'<meta property="og:title" content="{title}">' in html


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_canonical_link_open_graph_tags_and_a_favicon(client, article, url):
    html = html_of(client, url)

    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    assert canonical == "http://testserver" + url
    assert f'<meta property="og:url" content="{canonical}">' in html
    for name in ["og:title", "og:description", "og:type"]:
        assert re.search(rf'<meta property="{name}" content="[^"]+">', html), name
    assert '<link rel="icon" href="/static/timeline/favicon.svg" type="image/svg+xml">' in html


def test_a_filtered_views_canonical_link_keeps_its_filters_and_nothing_else(client, article):
    """A parameter that is no filter is redirected away, and the page's canonical link names the
    filters alone."""
    response = client.get(
        reverse("timeline:timeline") + "?utm_source=x&actor=theresa-may", follow=True
    )
    assert response.redirect_chain == [("/?actor=theresa-may", 301)]
    html = response.content.decode()

    assert '<link rel="canonical" href="http://testserver/?actor=theresa-may">' in html


def test_favicon_ico_leads_to_the_sites_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/timeline/favicon.svg"


class DescribedBy(HTMLParser):
    """The ids a page's elements have, and the ids their aria-describedby point at."""

    def __init__(self):
        super().__init__()
        self.ids, self.references = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        self.references += (attrs.get("aria-describedby") or "").split()


@pytest.mark.parametrize(
    "url",
    [
        *PAGES,
        reverse("timeline:timeline") + "?start=2016-01-01&end=2015-01-01&actor=nobody",
        reverse("timeline:event-list") + "?start=garbage&place=nowhere",
        reverse("timeline:statement-list") + "?source=afp-2015-08-19-uk-police-head-to-france",
    ],
)
def test_every_aria_describedby_points_at_an_element_of_the_page(client, article, url):
    page = DescribedBy()
    page.feed(client.get(url).content.decode())

    assert set(page.references) <= page.ids
    if "?" in url:
        assert page.references


@pytest.mark.parametrize("url", [reverse("timeline:timeline"), reverse("timeline:event-list")])
def test_clear_shows_once_a_filter_is_on_and_the_filters_open(client, article, url):
    plain = html_of(client, url)
    filtered = html_of(client, url + "?q=calais")
    wrong = html_of(client, url + "?start=garbage")

    assert f'<a class="reset" href="{url}" data-clear hidden>Clear</a>' in plain
    assert f'<a class="reset" href="{url}" data-clear>Clear</a>' in filtered
    assert '<details class="filters-fold">' in plain
    assert '<details class="filters-fold" open>' in filtered
    assert '<details class="filters-fold" open>' in wrong
    assert "<summary>Filters</summary>" in plain
