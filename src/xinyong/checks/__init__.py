"""Checks: which joint sanctions or rewards apply to a subject for the matter a department handles."""
