"""The admin's "Draft article" page: paste an article's text, review the draft as an import.

A thin front-end to timeline.drafting. The draft is shown exactly as the import page shows an
uploaded file (it goes through ``ArticleImportMixin.preview``: the same dry run, the same report,
the same pending import kept in the session and confirmed by the same confirmation view), with
the draft itself beside it: what the matcher decided, the file to correct and preview again, and
a download. Every event, measure, statement and observation of a draft is unreviewed.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views import View

from .admin_import import PENDING_IMPORT, ArticleImportMixin
from .drafting import service

NO_CHOICES = {"allow_shared_updates": False, "take_file": []}


class DraftArticleForm(forms.Form):
    text = forms.CharField(
        label="Article text",
        widget=forms.Textarea(attrs={"rows": 16, "cols": 80}),
        help_text="Plain text, one paragraph a block (a blank line between paragraphs). A first "
        "short line without a full stop is taken as the headline.",
        max_length=100_000,
    )
    published = forms.DateField(
        label="Publication date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Relative dates (“Thursday”, “earlier this week”) are resolved against it.",
    )
    publisher = forms.CharField(label="Publisher", max_length=200, required=False)
    title = forms.CharField(
        label="Title", max_length=300, required=False, help_text="Default: the text's headline."
    )
    url = forms.URLField(label="URL", max_length=500, required=False, assume_scheme="https")


class CorrectedDraftForm(forms.Form):
    content = forms.CharField(
        label="Draft file", widget=forms.Textarea(attrs={"rows": 24, "cols": 100})
    )
    name = forms.CharField(widget=forms.HiddenInput)


def draft_name(draft):
    return f"{draft.source_slug}.json"


class DraftArticleView(ArticleImportMixin, View):
    """GET: the form. POST: the draft of the pasted text, previewed as an import; or (with
    ``content``) a corrected draft previewed again. Writes nothing."""

    template_name = "admin/timeline/source/draft_article.html"
    draft = None
    corrected = ""
    name = ""

    def render(self, **context):
        pending = self.request.session.get(PENDING_IMPORT) or {}
        content = self.corrected or pending.get("content", "")
        name = self.name or pending.get("name", "")
        return super().render(
            title="Draft article from its text",
            draft_form=context.pop("draft_form", None) or DraftArticleForm(),
            draft=self.draft,
            corrected_form=CorrectedDraftForm(initial={"content": content, "name": name})
            if content
            else None,
            download_url=reverse("admin:timeline_source_draft_download")
            if context.get("report")
            else "",
            **context,
        )

    def get(self, request):
        return self.render()

    def post(self, request):
        if "content" in request.POST:
            form = CorrectedDraftForm(request.POST)
            if not form.is_valid():
                return self.render()
            self.corrected = form.cleaned_data["content"]
            self.name = form.cleaned_data["name"] or "draft.json"
            return self.preview(self.name, self.corrected.encode("utf-8"), dict(NO_CHOICES))
        form = DraftArticleForm(request.POST)
        if not form.is_valid():
            request.session.pop(PENDING_IMPORT, None)
            return self.render(draft_form=form)
        data = form.cleaned_data
        self.draft, content = service.draft_file(
            data["text"],
            data["published"],
            publisher=data["publisher"],
            title=data["title"],
            url=data["url"],
        )
        self.name, self.corrected = draft_name(self.draft), content
        return self.preview(self.name, content.encode("utf-8"), dict(NO_CHOICES))


class DraftDownloadView(ArticleImportMixin, View):
    """GET: the draft waiting in the session, as a file to save and edit."""

    def get(self, request):
        pending = request.session.get(PENDING_IMPORT)
        if not pending:
            messages.error(request, "No draft is waiting. Paste the article again.")
            return redirect(reverse("admin:timeline_source_draft"))
        response = HttpResponse(pending["content"], content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{pending["name"]}"'
        return response


def draft_urls(model_admin):
    """The URLs of the page, for the sources' ModelAdmin to add to its own."""

    def view(view_class):
        return model_admin.admin_site.admin_view(view_class.as_view(model_admin=model_admin))

    return [
        path("draft/", view(DraftArticleView), name="timeline_source_draft"),
        path("draft/download/", view(DraftDownloadView), name="timeline_source_draft_download"),
    ]
