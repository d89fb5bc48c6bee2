"""Stage 01: the inputs as delivered -> validated tidy tables (one module per source)."""
