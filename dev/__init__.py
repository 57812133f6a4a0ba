"""Developer tools, not part of the installed package: the sample's generator, the synthetic history and the benchmark.

Run from the repository root:

    python -m dev.sample                          # workbooks/sample/ (make sample)
    python -m dev.history OUT --years 10          # a synthetic history of monthly exports
    python -m dev.bench --years 10 --repeat 3     # the benchmark (make bench), results in benchmarks/RESULTS.md
"""
