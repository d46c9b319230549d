import os

# Small matrices: OpenBLAS threads only contend on a 2-core machine. Before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
