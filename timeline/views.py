"""Placeholder public views: the public site (issue 3) replaces these."""

from django.views.generic import DetailView, ListView, TemplateView

from .models import Actor, Event, Measure, Source, Statement


class TimelineView(TemplateView):
    template_name = "timeline/placeholder.html"


def _list(model_class):
    return type(
        f"{model_class.__name__}ListView",
        (ListView,),
        {"model": model_class, "template_name": "timeline/placeholder.html"},
    )


def _detail(model_class):
    return type(
        f"{model_class.__name__}DetailView",
        (DetailView,),
        {"model": model_class, "template_name": "timeline/placeholder.html"},
    )


EventListView, EventDetailView = _list(Event), _detail(Event)
MeasureListView, MeasureDetailView = _list(Measure), _detail(Measure)
ActorListView, ActorDetailView = _list(Actor), _detail(Actor)
StatementListView, StatementDetailView = _list(Statement), _detail(Statement)
SourceListView, SourceDetailView = _list(Source), _detail(Source)
