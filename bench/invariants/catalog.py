"""Ask kubenative's catalog of published images (``kubenative.catalog``, issue 15), when the
measured source has one, whether image references exist.

The catalog runs in a subprocess with the measured ``src/`` on PYTHONPATH (the sweep's own
process may import another kubenative). Its API is not fixed yet, so the probe tries the
plain names a lookup would have — ``published(ref)``, ``is_published(ref)``,
``exists(ref)``, ``knows(ref)`` — on the package, its modules (``kubenative.catalog.images``)
and, if it has one, on ``load()``'s result, and reports which one answered. No catalog:
every answer is None (not checked).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = r"""
import json, sys
try:
    import kubenative.catalog as catalog
except Exception as err:
    print(json.dumps({"available": False, "why": f"{type(err).__name__}: {err}"}))
    raise SystemExit(0)
import importlib, pkgutil
targets = [catalog]
found = pkgutil.iter_modules(getattr(catalog, "__path__", []))
infos = sorted(found, key=lambda i: i.name != "images")
for info in infos:
    try:
        targets.append(importlib.import_module(f"kubenative.catalog.{info.name}"))
    except Exception:
        pass
for maker in ("load", "default", "catalog"):
    make = getattr(catalog, maker, None)
    if callable(make):
        try:
            targets.append(make())
        except Exception:
            pass
names = ("published", "is_published", "exists", "knows", "has")
fn = None
for target in targets:
    for name in names:
        candidate = getattr(target, name, None)
        if callable(candidate):
            label = getattr(target, "__name__", type(target).__name__)
            fn, used = candidate, f"{label}.{name}"
            break
    if fn:
        break
refs = json.load(sys.stdin)
if fn is None:
    print(json.dumps({"available": True, "api": None, "answers": {}}))
    raise SystemExit(0)
answers = {}
for ref in refs:
    try:
        answers[ref] = bool(fn(ref))
    except Exception as err:
        answers[ref] = None
print(json.dumps({"available": True, "api": used, "answers": answers}))
"""


def ask(src: str | None, refs: list[str]) -> dict[str, object]:
    """``{"available": bool, "api": str|None, "answers": {ref: bool|None}}``."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    try:
        result = subprocess.run(
            [sys.executable, "-c", PROBE],
            input=json.dumps(sorted(set(refs))),
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        data = json.loads(result.stdout or "{}")
    except (subprocess.TimeoutExpired, ValueError) as err:
        return {"available": False, "why": str(err), "answers": {}}
    return data if isinstance(data, dict) else {"available": False, "answers": {}}
