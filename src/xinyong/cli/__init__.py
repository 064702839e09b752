"""Command-line interface: one module per command group, each thin.

A command parses its arguments, calls one service function and renders the
result. Errors are rendered once, in :func:`xinyong.cli.main.run`.
"""
