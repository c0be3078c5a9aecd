import json
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
FIRST_ARTICLE = FIXTURES_DIR / "2015-08-19-afp-uk-police-to-calais.json"


def first_article_counts():
    """How many records the first article's fixture holds: all, and events."""
    records = json.loads(FIRST_ARTICLE.read_text())
    return len(records), sum(record["model"] == "timeline.event" for record in records)


@pytest.fixture
def article(db):
    """The first article's fixture, loaded as `make run` loads it."""
    call_command("loaddata", str(FIRST_ARTICLE), verbosity=0)


@pytest.fixture(autouse=True)
def local_memory_cache(settings):
    """Each test gets its own empty in-process cache instead of the shared file cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests",
        }
    }
    from django.core.cache import cache

    cache.clear()
