"""The admin's "Import article" page: upload a fixture, review the dry run, confirm.

A thin front-end to timeline.importing, reached from the sources list. The uploaded text is
kept in the session between the preview and the confirmation, with the preview's fingerprint:
the confirmation imports that same text, validates it again, and refuses (writing nothing) if
the import would no longer do exactly what the preview showed. The preview shows the merge: the
conflicts with the three values, each of which the editor may settle for the file's value (a new
preview, then the confirmation, as ``--take-file`` does on the command line).
"""

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from . import importing
from .batches import BatchVia

PENDING_IMPORT = "timeline_pending_import"


def can_import(user):
    """Staff who may add and change every timeline model: an import may do either to any."""
    return user.is_active and user.is_staff and user.has_perms(importing.IMPORT_PERMISSIONS)


class ArticleUploadForm(forms.Form):
    file = forms.FileField(
        label="Article file",
        help_text=f"A fixture in JSON or YAML with natural keys, at most "
        f"{importing.MAX_FILE_SIZE // (1024 * 1024)} MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_FILE_SIZE:
            raise forms.ValidationError(
                f"{upload.name}: the file is {upload.size:,} bytes, over the limit of "
                f"{importing.MAX_FILE_SIZE:,}."
            )
        return upload


class ImportChoicesForm(forms.Form):
    allow_shared_updates = forms.BooleanField(
        required=False,
        label="Allow changes to other articles' events, measures, statements and observations",
        help_text="Without it, a file may change them only if it cites their article.",
    )


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


class ArticleImportMixin:
    """Admin chrome and the permission check shared by the upload and the confirmation."""

    model_admin = None
    template_name = "admin/timeline/source/import_article.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, **context):
        opts = self.model_admin.model._meta
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                **self.model_admin.admin_site.each_context(self.request),
                "opts": opts,
                "title": "Import article",
                "max_file_size": importing.MAX_FILE_SIZE,
                **context,
            },
        )

    def preview(self, name, content, choices):
        """Dry-run ``content``; keep it for the confirmation if it would import cleanly.

        ``choices`` are the import's options: allow_shared_updates, take_file (a list of
        "model.field" names).
        """
        try:
            article = importing.read_article(name, content)
            report = importing.import_articles(
                [article], dry_run=True, via=BatchVia.ADMIN, **choices
            )
        except importing.ImportFailed as failure:
            self.request.session.pop(PENDING_IMPORT, None)
            return self.render(
                form=ArticleUploadForm(),
                choices_form=ImportChoicesForm(initial=choices),
                problems=failure.problems,
            )
        token = secrets.token_urlsafe(16)
        self.request.session[PENDING_IMPORT] = {
            "token": token,
            "name": name,
            "content": content.decode("utf-8"),
            "fingerprint": report.fingerprint,
            "choices": choices,
        }
        return self.render(
            report=report,
            confirm_form=ConfirmForm(initial={"token": token}),
            taken=set(choices.get("take_file", ())),
        )


class ArticleImportView(ArticleImportMixin, View):
    """GET: the upload form. POST: the dry-run report of the uploaded file. Writes nothing."""

    def get(self, request):
        return self.render(form=ArticleUploadForm(), choices_form=ImportChoicesForm())

    def post(self, request):
        if "take" in request.POST or request.POST.get("action") == "take":
            return self.preview_taking(request)
        form = ArticleUploadForm(request.POST, request.FILES)
        choices_form = ImportChoicesForm(request.POST)
        if not form.is_valid() or not choices_form.is_valid():
            return self.render(form=form, choices_form=choices_form)
        upload = form.cleaned_data["file"]
        return self.preview(upload.name, upload.read(), dict(choices_form.cleaned_data))

    def preview_taking(self, request):
        """The pending file previewed again, taking the file's values for the chosen conflicts."""
        pending = request.session.get(PENDING_IMPORT)
        if not pending or pending["token"] != request.POST.get("token"):
            messages.error(
                request, "No import is waiting for these choices. Upload the file again."
            )
            return redirect(self.model_admin.import_url())
        choices = {**pending["choices"], "take_file": sorted(set(request.POST.getlist("take")))}
        return self.preview(pending["name"], pending["content"].encode("utf-8"), choices)


class ArticleImportConfirmView(ArticleImportMixin, View):
    """POST: import exactly the previewed file, if it still does what the preview showed."""

    def get(self, request):
        return redirect(self.model_admin.import_url())

    def post(self, request):
        form = ConfirmForm(request.POST)
        pending = request.session.get(PENDING_IMPORT)
        if not form.is_valid() or not pending or pending["token"] != form.cleaned_data["token"]:
            messages.error(
                request,
                "No import is waiting for this confirmation: it was confirmed already or "
                "replaced by a newer upload. Upload the file again.",
            )
            return redirect(self.model_admin.import_url())
        name, content = pending["name"], pending["content"].encode("utf-8")
        try:
            article = importing.read_article(name, content)
            report = importing.import_articles(
                [article],
                expected_fingerprint=pending["fingerprint"],
                user=request.user,
                via=BatchVia.ADMIN,
                **pending["choices"],
            )
        except importing.PreviewOutdated as outdated:
            messages.error(request, str(outdated.problems[0]))
            return self.preview(name, content, pending["choices"])
        except importing.ImportFailed as failure:
            request.session.pop(PENDING_IMPORT, None)
            return self.render(form=ArticleUploadForm(), problems=failure.problems)
        request.session.pop(PENDING_IMPORT, None)
        if report.conflicts_kept:
            messages.warning(
                request,
                f"{report.headline} Where the file and the database both changed, the "
                "database's value was kept: see the batch.",
            )
        else:
            messages.success(request, report.headline)
        if report.batches:
            return redirect(report.batches[0].get_absolute_url())
        return redirect(reverse("admin:timeline_source_changelist"))
