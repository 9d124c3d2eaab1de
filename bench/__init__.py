"""Benchmarks and the synthetic demo archive they load (`seed_demo`).

An installed app only so that `manage.py seed_demo` and the bare template view exist; the
scripts beside it (run.py, admin_bench.py, …) are run directly: ``python bench/run.py``.
"""
