"""Development tools: benchmarks, load tests, synthetic data and the factories that make it.

A Django app (``seed_synthetic``) that settings install only when the development dependencies
are there (factory-boy): the production package and ``make run`` leave it out.
"""
