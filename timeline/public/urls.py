from django.urls import path

from . import calendar, feeds, timelinejs, views

app_name = "timeline"

urlpatterns = [
    path("", views.TimelineView.as_view(), name="timeline"),
    path("favicon.ico", views.FaviconView.as_view(), name="favicon"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("measures/", views.MeasureListView.as_view(), name="measure-list"),
    path("measures/<slug:slug>/", views.MeasureDetailView.as_view(), name="measure-detail"),
    path("actors/", views.ActorListView.as_view(), name="actor-list"),
    path("actors/<slug:slug>/", views.ActorDetailView.as_view(), name="actor-detail"),
    path("statements/", views.StatementListView.as_view(), name="statement-list"),
    path("statements/<slug:slug>/", views.StatementDetailView.as_view(), name="statement-detail"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("places/<slug:slug>/", views.PlaceDetailView.as_view(), name="place-detail"),
    path("passages/<slug:slug>/", views.PassageDetailView.as_view(), name="passage-detail"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("indicators/<slug:slug>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
]

# Outputs other tools read: TimelineJS3, calendars, feed readers, API clients.
urlpatterns += [
    path("timeline.json", timelinejs.timeline_json, name="timeline-json"),
    path("story/", timelinejs.StoryView.as_view(), name="story"),
    path("story/embed/", timelinejs.story_embed, name="story-embed"),
    path("calendar.ics", calendar.calendar_ics, name="calendar"),
    path("feed/", feeds.timeline_feed, name="feed"),
]
