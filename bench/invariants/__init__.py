"""The corpus sweep's checks: generic invariants a generated Dockerfile must keep on any project.

Each module reads one kind of input on its own terms (a Dockerfile, a shell command, the
project's files, image tags) and never calls kubenative's decision code: an oracle that reuses
the code it checks cannot find that code's bugs. kubenative's Elixir parser is used to read
Elixir files (see :mod:`bench.invariants.elixir`), nothing else.
"""
