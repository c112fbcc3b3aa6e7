"""Benchmarks that print figures (`linkwell bench ...`), and the synthetic graph they and the
demo seed share; no page, API call or service imports this package."""
