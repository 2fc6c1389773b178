"""Time `init --dry-run` (inspect + plan + render) on generated umbrellas of N apps.

Run from the repository root: `.venv/bin/python bench/generate.py [N ...]` (default 200 400 800).
Each app has a mix.exs, lib/ and test/ and a .gitignore, like `mix new` writes in an umbrella:
the .dockerignore then holds a few patterns per app, and every copied path is matched against
them. Prints one row per size: the best of three runs, and seconds per 100 apps (flat when the
work grows linearly with the apps).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from kubenative import app  # noqa: E402

ROOT_MIX = """defmodule Big.MixProject do
  use Mix.Project

  def project do
    [apps_path: "apps", version: "0.1.0", deps: [],
     releases: [big: [applications: [app_1: :permanent]]]]
  end
end
"""
APP_MIX = """defmodule App{n}.MixProject do
  use Mix.Project

  def project do
    [app: :app_{n}, version: "0.1.0", build_path: "../../_build", deps_path: "../../deps",
     lockfile: "../../mix.lock", deps: []]
  end
end
"""


def umbrella(where: Path, apps: int) -> Path:
    root = where / f"umbrella_{apps}"
    (root / "config").mkdir(parents=True)
    (root / "mix.exs").write_text(ROOT_MIX)
    (root / "mix.lock").write_text("%{}\n")
    (root / "config" / "config.exs").write_text("import Config\n")
    for n in range(1, apps + 1):
        folder = root / "apps" / f"app_{n}"
        (folder / "lib").mkdir(parents=True)
        (folder / "test").mkdir()
        (folder / "mix.exs").write_text(APP_MIX.format(n=n))
        (folder / ".gitignore").write_text("/_build/\n/deps/\n*.ez\n")
    return root


def best_of(runs: int, root: Path) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        app.generate(str(root))
        times.append(time.perf_counter() - start)
    return min(times)


def main(sizes: list[int]) -> None:
    print("| apps | init --dry-run (s) | s per 100 apps |")
    print("| ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for apps in sizes:
            seconds = best_of(3, umbrella(Path(tmp), apps))
            print(f"| {apps} | {seconds:.2f} | {seconds / apps * 100:.2f} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [200, 400, 800])
