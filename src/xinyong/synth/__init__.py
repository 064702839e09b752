"""Synthetic city: deterministic subjects and noisy department files, with the noise reported.

``xinyong generate`` calls :func:`xinyong.synth.service.generate_city`. The
package writes files only under the output directory it is given and never
touches the store; other packages use its output (ingest tests, the demo,
benchmarks), never its internals.
"""
