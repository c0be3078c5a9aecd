"""The filter forms' <select>: options written once for each list of choices, escaped, the chosen
one marked."""

from timeline.public.filters import TimelineFilterForm


def test_options_are_escaped_and_the_chosen_one_is_selected(db):
    from tests.factories import ActorFactory

    ActorFactory(name="Ben & Jerry <Ltd>", slug="ben-jerry")
    ActorFactory(name="Keith Vaz", slug="keith-vaz")

    html = str(TimelineFilterForm({"actor": "keith-vaz"})["actor"])

    assert '<option value="ben-jerry">Ben &amp; Jerry &lt;Ltd&gt;</option>' in html
    assert '<option value="keith-vaz" selected>Keith Vaz</option>' in html
    assert html.count(" selected") == 1


def test_a_new_choice_is_drawn_with_the_next_form(db):
    from tests.factories import ActorFactory

    ActorFactory(name="Keith Vaz", slug="keith-vaz")
    before = str(TimelineFilterForm({})["actor"])
    ActorFactory(name="Yvette Cooper", slug="yvette-cooper")
    after = str(TimelineFilterForm({})["actor"])

    assert "Yvette Cooper" not in before
    assert '<option value="yvette-cooper">Yvette Cooper</option>' in after
