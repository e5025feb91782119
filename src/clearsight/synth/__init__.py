"""Synthetic data at any scale, from a five-minute demo area to a whole country.

``plan`` decides every row from a seed (pure, no database); ``copy`` streams the rows into
PostgreSQL with COPY; ``loader`` runs a load, recorded by a ``SynthRun`` so that a re-run
removes exactly the rows an earlier run created. See docs/synthetic-data.md."""
