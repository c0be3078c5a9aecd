"""docs/article-format.md: its complete example is a file that imports, strictly."""

import json
import re
from pathlib import Path

import pytest

from timeline import importing
from timeline.models import Measure, Observation

DOC = Path(__file__).resolve().parent.parent / "docs" / "article-format.md"


def example_text():
    after = DOC.read_text().split("## A complete example", 1)[1]
    return re.search(r"```json\n(.*?)```", after, re.S).group(1)


def test_the_example_uses_every_model_of_the_format():
    models = {record["model"] for record in json.loads(example_text())}
    assert models == {model._meta.label_lower for model in importing.MODELS}


@pytest.mark.django_db
def test_the_example_imports_with_strict_into_an_empty_database():
    article = importing.read_article("example.json", example_text().encode())
    report = importing.import_articles([article], strict=True)
    assert report.warnings == []
    assert Measure.objects.get(slug="calais-railhead-security").status == "announced"
    assert Observation.objects.get().reported_by.slug == "eurotunnel"
