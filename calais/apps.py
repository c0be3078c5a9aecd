"""The admin as the editor's desk (timeline.admin_desk) in place of Django's stock site."""

from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    default_site = "timeline.admin_desk.DeskAdminSite"
