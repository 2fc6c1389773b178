"""Benchmarks of kubenative's Dockerfiles against the usual alternatives."""
