"""Xinyong (信用): an open public-credit information platform.

The package is organised by capability (``codes``, ``policy``, ``store``,
``synth`` …); see docs/ and the design notes for the layering rules.
"""

__version__ = "0.1.0"
