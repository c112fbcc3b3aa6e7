"""Benchmarks that print figures (`linkwell bench ...`); never imported by the running site."""
