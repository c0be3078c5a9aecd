"""Signals the data side sends for writes that Django's model signals do not announce.

``records_written`` is sent once a bulk write has committed: an import (which the importer sends
from one place, ``importing.import_committed``) or a synthetic seed (bulk_create sends no
post_save). Whoever keeps something derived from the data (the public site's caches) listens to
it as well as to post_save, post_delete and m2m_changed.
"""

from django.dispatch import Signal

records_written = Signal()
