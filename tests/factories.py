"""The factories live in the app (timeline.factories) so seed_synthetic can use them; tests import
them from here as before."""

from timeline.factories import *  # noqa: F403
