"""Kubernetes fixtures (filled by the local-cluster work)."""
