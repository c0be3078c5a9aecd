from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
FIRST_ARTICLE = FIXTURES_DIR / "2015-08-19-afp-uk-police-to-calais.json"


@pytest.fixture
def article(db):
    """The first article's fixture, loaded as `make run` loads it."""
    call_command("loaddata", str(FIRST_ARTICLE), verbosity=0)
