"""The release to ship, and what the overriding images and flags say about the OS release
(the versions themselves are solved in ``kubenative.plan.versions``)."""

from __future__ import annotations

from kubenative.catalog import images
from kubenative.catalog.distros import OsFamily
from kubenative.errors import UserError
from kubenative.options import Options
from kubenative.project import native, releases
from kubenative.project.model import Project


def override_release(options: Options, family: OsFamily) -> str | None:
    """The OS release that --os-release or the overriding builder/runtime images' tags name.

    The builder and the runtime must be one release (the runtime ships the libraries the
    builder's ERTS and NIFs link against), so tags that disagree are refused. The Node image may
    be any release: the frontend stage only makes static files."""
    said: list[tuple[str, images.ImageFacts]] = []
    if options.os_release:
        said.append(("--os-release", images.ImageFacts(family, options.os_release)))
    for flag, ref in (
        ("--builder-image", options.builder_image),
        ("--runtime-image", options.runtime_image),
    ):
        if ref is None:
            continue
        facts = images.facts(ref)
        if facts.family is not None and facts.family != family:
            raise UserError(
                f"{flag} {ref} is built on {facts.family} but the build is for {family}; "
                f"pass --os {facts.family}"
            )
        if facts.release is not None:
            said.append((f"{flag} {ref}", facts))
    for where, facts in said[1:]:
        first, first_facts = said[0]
        if not _same_release(first_facts, facts):
            raise UserError(
                f"{first} says {first_facts.release} but {where} says {facts.release}: the "
                "builder and the runtime must be one OS release; use images of one release"
            )
    if said:
        return said[0][1].release
    if options.builder_image or options.runtime_image:
        raise UserError(
            "the overriding image tags name no OS release: pass --os-release (e.g. bookworm, "
            "or 3.19.1 for alpine) so the runtime's packages match the images"
        )
    return None


def _same_release(a: images.ImageFacts, b: images.ImageFacts) -> bool:
    """``bookworm`` and ``bookworm-20240612`` agree; Alpine ``3.19`` and ``3.19.1`` agree."""
    if a.family == "alpine":
        left, right = (a.release or "").split("."), (b.release or "").split(".")
        return left[: len(right)] == right[: len(left)]
    return a.codename == b.codename


def release_name(project: Project, options: Options) -> str:
    names = [release.name for release in project.releases]
    if not names and project.umbrella:
        # `mix release` refuses an umbrella without `releases:`, whatever name it is given.
        raise UserError(
            "mix.exs: an umbrella needs a `releases:` entry naming the apps to ship; add to the "
            f"root project: {releases.suggested_releases(project.name, project.apps)}"
        )
    if options.release:
        if names and options.release not in names:
            raise UserError(
                f"--release {options.release}: the project defines {', '.join(names)}; "
                "pick one of those"
            )
        return options.release
    if not names:
        raise UserError(
            "the project defines no release; add `releases:` to mix.exs or give --release NAME"
        )
    return names[0]


def includes_erts(project: Project, release: str) -> bool:
    """Whether the release carries ERTS (Mix's default); without it, the runtime must be an
    image with the same Erlang/OTP as the builder: the builder image itself."""
    return next((r.include_erts for r in project.releases if r.name == release), True)


def node_what(node: str, override: str | None) -> str:
    """The Node version the frontend builds with: the override's tag says it, or nobody does."""
    if override is None:
        return f"Node.js {node}"
    stated = images.facts(override).version
    return f"Node.js {stated}" if stated else "Node.js (version unknown: not in the image's tag)"


def rust_warnings(project: Project, family: OsFamily, os_release: str, warnings: list[str]) -> None:
    """A crate that declares a newer `rust-version` than the distribution's rustc would fail
    in cargo: say so (rustup in a --builder-image is the way out)."""
    if family != "debian":
        return
    for dep in project.native_deps:
        wanted = dep.needs.rust_version
        shipped = native.rust_too_old(wanted, os_release) if wanted else None
        if shipped:
            warnings.append(
                f"{dep.name} needs Rust {wanted} (rust-version in Cargo.toml) but Debian "
                f"{os_release.split('-', 1)[0]} ships rustc {shipped}: install Rust with rustup "
                "in your own --builder-image, or build on a newer --os-release"
            )
