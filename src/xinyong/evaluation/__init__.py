"""Evaluation (信用评价): transparent scores and grades, in batch or for one subject.

:mod:`.expr` is the one definition of the scoring logic, as Ibis expressions;
:mod:`.engine` runs it on DuckDB or Spark; :mod:`.explain` says why a score is
what it is and what will change it; :mod:`.service` holds the use cases.
"""
