"""What exists in the world, independent of any project: the published builder, runtime and
Node images and the rules behind them (``hexpm``, ``official``, ``node``, ``distros``), Elixir
and OTP releases and their compatibility (``releases``), and packages whose versions limit the
tools they build with (``packages``). Data files with their sources (``kubenative/data``) plus
lookups; no decisions, and nothing here imports a project reader or a plan.
"""


def published(reference: str) -> bool:
    """Whether an image reference (a builder, runtime or Node tag) is one the catalog lists as
    published: the lookup the corpus sweep's invariant 4 asks (``catalog.images.published``)."""
    from kubenative.catalog import images

    return images.published(reference)
