"""The factories live with the other development tools (bench.factories), where seed_synthetic
uses them too; tests import them from here."""

from bench.factories import *  # noqa: F403
