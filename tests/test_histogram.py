"""The histogram's compact markup (entries.histogram_markup), drawn from the counts per month."""

import re

from django.test import RequestFactory

from timeline.public.entries import Bucket, Timeline, render_histogram
from timeline.public.environment import page_link_prefix


class CountedTimeline(Timeline):
    """A timeline whose counts per month are given, with no database behind it."""

    def __init__(self, counts, per_page=50):
        super().__init__({}, per_page=per_page)
        self.given_counts = counts

    def counts(self):
        return self.given_counts


def drawn(counts, query="", per_page=50):
    timeline = CountedTimeline(counts, per_page)
    request = RequestFactory().get("/" + query)
    markup = render_histogram(counts, page_link_prefix(request.GET), per_page)
    return markup, timeline, request


def links(markup):
    return re.findall(r"<a [^>]*>", markup)


def test_one_link_per_month_with_entries_and_none_for_empty_months():
    markup, *_ = drawn({Bucket(2015, 3): 2, Bucket(2015, 7): 12, Bucket(2017, 1): 1})

    assert len(links(markup)) == 3
    assert markup.count('class="hg-year') == 3  # 2016, without entries, keeps its place
    assert 'aria-label="July 2015: 12 entries"' in markup
    assert 'title="January 2017: 1 entry"' in markup
    assert re.search(r'class="m7 l8" href="\?page=1#m2015-07"', markup)


def test_a_year_only_bucket_has_its_own_bar_before_january():
    markup, *_ = drawn({Bucket(2015, None): 3, Bucket(2015, 1): 6})

    assert 'class="hg-year hg-with-year"' in markup
    first, second = links(markup)
    assert 'class="m0 l4"' in first and "#y2015" in first
    assert 'aria-label="2015, dated to the year only: 3 entries"' in first
    assert 'class="m1 l8"' in second


def test_bars_link_to_the_page_their_month_starts_on_keeping_the_query():
    markup, *_ = drawn(
        {Bucket(2016, 1): 55, Bucket(2016, 2): 5}, query="?kind=event&q=a%26b&page=3"
    )

    assert 'href="?kind=event&amp;q=a%26b&amp;page=1#m2016-01"' in markup
    assert 'href="?kind=event&amp;q=a%26b&amp;page=2#m2016-02"' in markup


def test_each_page_links_its_bars_with_its_own_filters():
    timeline = CountedTimeline({Bucket(2016, 1): 1})

    first = timeline.render_histogram("?kind=event&page=")
    second = timeline.render_histogram("?kind=event&q=tunnel&page=")

    assert 'href="?kind=event&amp;page=1#m2016-01"' in first
    assert 'href="?kind=event&amp;q=tunnel&amp;page=1#m2016-01"' in second
    assert "\x00" not in first + second


def test_no_entries_draw_nothing():
    markup, *_ = drawn({})

    assert markup == ""
