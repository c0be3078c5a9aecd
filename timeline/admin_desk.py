"""The admin as an editor's desk: the project's name, the timeline's models first and the
security tables apart, and a dashboard of what needs the editor (the latest import batches,
records waiting for review, open import conflicts) with the ways in ("Import article", "Draft
from text")."""

from django.contrib import admin

# The timeline's models in the order an editor works through them; others follow by name.
MODEL_ORDER = [
    "Event",
    "Measure",
    "Statement",
    "Observation",
    "Indicator",
    "Passage",
    "Actor",
    "Role",
    "Place",
    "Source",
    "Participation",
    "MeasureStatus",
    "MeasureLink",
    "ImportBatch",
    "ActorMerge",
]
# Apps listed apart, after the others: django-axes' login tracking.
SECURITY_APPS = {"axes"}
# The records an editor reviews, where they carry a ``reviewed`` flag.
REVIEWED_MODELS = ["Event", "Measure", "Statement", "Observation"]


class DeskAdminSite(admin.AdminSite):
    site_header = "Calais Timeline desk"
    site_title = "Calais Timeline"
    index_title = "The editor's desk"
    index_template = "admin/desk_index.html"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            if app["app_label"] == "timeline":
                app["models"].sort(key=_model_position)
        return sorted(apps, key=_app_position)

    def index(self, request, extra_context=None):
        from .dashboard import dashboard

        app_list = self.get_app_list(request)
        extra_context = {
            "main_apps": [a for a in app_list if a["app_label"] not in SECURITY_APPS],
            "security_apps": [a for a in app_list if a["app_label"] in SECURITY_APPS],
            "desk": dashboard(request),
            **(extra_context or {}),
        }
        return super().index(request, extra_context)


def _model_position(model):
    name = model["object_name"]
    return (MODEL_ORDER.index(name) if name in MODEL_ORDER else len(MODEL_ORDER), model["name"])


def _app_position(app):
    label = app["app_label"]
    return (label in SECURITY_APPS, label != "timeline", app["name"])
