"""The project's config files: which Mix reads at compile time (the import chain from
config/config.exs), which at boot, and which the build mounts as secrets."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kubenative import ignore
from kubenative.errors import UserError
from kubenative.project import config_files, env_vars
from kubenative.project.mix_exs import MixProject
from kubenative.project.model import ConfigSecret
from kubenative.project.reading import gitignored, guard, read_gitignores, read_text, rel_path


@dataclass(frozen=True)
class Config:
    """The project's .gitignore rules and its config files (see ``_config_files``)."""

    gitignores: tuple[tuple[str, tuple[str, ...]], ...]
    compile_config: tuple[str, ...]
    late_config: tuple[str, ...]
    secrets: tuple[str, ...]  # tracked *.secret.exs: copied
    config_secrets: tuple[ConfigSecret, ...]  # imported, not in git: build secrets


def read_config(
    root: Path, members: list[tuple[str, MixProject]], warnings: list[str], problems: list[str]
) -> Config:
    return _config_files(root, members, read_gitignores(root), warnings, problems)


def _config_files(
    root: Path,
    members: list[tuple[str, MixProject]],
    gitignores: tuple[tuple[str, tuple[str, ...]], ...],
    warnings: list[str],
    problems: list[str],
) -> Config:
    """Compile-time config (read before deps.compile), boot-time config (copied last), the
    ``*.secret.exs`` files among the first that git tracks, and the imported config git does
    not hold (build secrets).

    An imported config file is source when git tracks it: it is copied like any config, even a
    ``*.secret.exs``. "Tracked" is read from the project's .gitignore files, not from git: a
    file that exists and that no .gitignore excludes is one ``git add`` takes (see
    docs/design-copies.md). An imported file that .gitignore excludes, or a ``*.secret.exs``
    that is absent, is not in any checkout: it comes from the builder's machine as a BuildKit
    secret mount (see kubenative.plan.secrets). Any other absent file that an unconditional
    import names is a problem: Mix stops there. A config file kubenative cannot parse is a
    problem too, and is left out, so no later reader trips on it."""
    ignored = gitignored(gitignores)
    compile_time: set[str] = set()
    tracked: set[str] = set()
    secrets: dict[str, ConfigSecret] = {}
    pending = ["config/config.exs"]
    for path, _ in members:
        if path != ".":
            pending.append(f"{path}/config/config.exs")
    while pending:
        rel = pending.pop()
        if rel in compile_time or not (root / rel).is_file():
            continue
        sites = guard(
            problems,
            None,
            partial(_import_sites, root, rel),
        )
        if sites is None:
            continue
        compile_time.add(rel)
        folder = rel.rsplit("/", 1)[0]
        for site in sites:
            wanted = site.target.replace("{env}", "prod")
            if posixpath.normpath(posixpath.join(folder, wanted)).startswith(".."):
                continue  # outside the project: a poncho's path dependency brings it
            target = config_files.normalize(folder, wanted)
            if "*" in target:
                pending.extend(rel_path(p, root) for p in sorted(root.glob(target)))
                continue
            present = (root / target).is_file()
            excluded = ignore.excluded(target, ignored)
            if present and not excluded:
                if target.endswith(".secret.exs"):
                    tracked.add(target)
                pending.append(target)
            elif excluded or target.endswith(".secret.exs"):
                earlier = secrets.get(target)
                secrets[target] = ConfigSecret(
                    path=target,
                    imported_by=earlier.imported_by if earlier else f"{rel}:{site.line}",
                    required=not site.conditional or bool(earlier and earlier.required),
                    present=present,
                    requires=_build_requires(root, target) if present else (),
                )
            elif not site.conditional:
                problems.append(
                    f"{rel}:{site.line} imports {target}, which is not in the project: Mix "
                    "stops there when it evaluates the config; add the file, or remove the "
                    "import"
                )
    late = tuple(
        rel
        for rel in ("config/releases.exs", "config/runtime.exs")
        if (root / rel).is_file()
        and guard(problems, None, partial(_boot_config_imports, root, rel, warnings)) is not None
    )
    return Config(
        gitignores,
        tuple(sorted(compile_time)),
        late,
        tuple(sorted(tracked)),
        tuple(secrets[path] for path in sorted(secrets)),
    )


def _build_requires(root: Path, rel: str) -> tuple[str, ...]:
    """The variables the local copy of a secret config requires while Mix evaluates it
    (`System.get_env("X") || raise`, `fetch_env!`): the build has none of them. Distillery's
    "${X}" placeholders are strings until the release boots, so they are not counted. Only a
    warning reads this, never the Dockerfile: what it says must not depend on a file git lacks.
    A copy that does not parse says nothing here (Mix will tell)."""
    try:
        source = read_text(root / rel, root)
        found = env_vars.read(source, rel)
    except UserError:
        return ()
    names = (v.name for v in found if v.required and f'"{v.name}"' in source)
    return tuple(dict.fromkeys(names))


def _import_sites(root: Path, rel: str) -> tuple[config_files.Import, ...]:
    return config_files.import_sites(read_text(root / rel, root), rel)


def _boot_config_imports(root: Path, rel: str, warnings: list[str]) -> bool:
    """Boot-time config is read with imports disabled (Mix and releases both read runtime.exs
    and releases.exs that way): `import_config "runtime/#{config_env()}.exs"` raises
    "import_config/1 is not enabled for this configuration file" when the release boots, so
    the imported file's variables are never read. Not followed; one warning each."""
    for site in config_files.import_sites(read_text(root / rel, root), rel):
        target = config_files.normalize("config", site.target.replace("{env}", "prod"))
        warnings.append(
            f"{rel}:{site.line}: `import_config` is not allowed in boot-time config: the "
            f'release stops at boot with "import_config/1 is not enabled" before reading '
            f"{target}; evaluate it with `Code.require_file` instead (kubenative follows that) "
            f"or move its settings into {rel}"
        )
    return True
