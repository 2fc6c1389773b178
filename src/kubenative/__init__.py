"""kubenative: Elixir/Phoenix projects to production on Kubernetes."""

__version__ = "0.1.0"
