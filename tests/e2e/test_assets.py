"""Asset pipelines built for real: npm, yarn and pnpm locks, a Tailwind (npm package) build whose
CSS must hold a class that only a `.heex` template under lib/ uses, digested file names and a
cache manifest that prod config expects.

The fixture has no Phoenix (no Hex here): its `assets_site.digest` task writes what phx.digest
writes (`NAME-MD5.EXT` copies and cache_manifest.json's "latest" map), and the page fills in the
digested URLs from that manifest as Phoenix's static_path does. So this proves where kubenative
builds each step and that the manifest and the files it names reach the image and are served;
it does not run phx.digest itself.
"""

from __future__ import annotations

import re
import shutil
import urllib.request
import uuid
from pathlib import Path

import pytest

from ..conftest import REPO
from .conftest import Engine, http_get, start

FIXTURES = REPO / "tests" / "e2e" / "fixtures"
TEMPLATE_CLASS = "0a1b2c"  # bg-[#0a1b2c], used only in lib/assets_site/page.html.heex
MANIFEST = "/app/lib/assets_site-0.1.0/priv/static/cache_manifest.json"

VARIANTS = {
    # assets.deploy runs `cmd --cd assets npm run deploy` (a Node step in a Mix alias)
    "npm-alias": (None, "package-lock.json"),
    # package.json's `deploy` script, a yarn 1 lock
    "yarn": ("assets_site_yarn", "yarn.lock"),
    # `build` + a create-react-app style `postbuild` that copies into priv/static, pnpm 8
    "pnpm-postbuild": ("assets_site_pnpm", "pnpm-lock.yaml"),
    # yarn 4 (installed from npm, not corepack), .yarnrc.yml, the postbuild run as a step
    "yarn-berry": ("assets_site_yarn_berry", "yarn.lock"),
    # bun 1.2 (installed from npm) with a text bun.lock and `build:*` scripts run in order
    "bun-scripts": ("assets_site_bun", "bun.lock"),
    # package.json's `deploy` builds with Node, then `cd .. && mix assets_site.digest`: split,
    # the Node part in `frontend`, the Mix part in the releaser (issue 16)
    "npm-calls-mix": ("assets_site_npm_calls_mix", "package-lock.json"),
    # `release: ["cmd --cd assets npm run deploy", "assets_site.digest", "release"]`: npm in
    # `frontend`, the digest in the releaser, the release run past the alias (issue 16)
    "release-alias": ("assets_site_release_alias", "package-lock.json"),
}


def _project(tmp_path: Path, variant: str) -> Path:
    overlay, _ = VARIANTS[variant]
    path = tmp_path / "assets_site"
    shutil.copytree(FIXTURES / "assets_site", path)
    if overlay:
        (path / "assets" / "package-lock.json").unlink()
        shutil.copytree(FIXTURES / overlay, path, dirs_exist_ok=True)
    return path


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, url
        return bytes(response.read())


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_page_serves_digested_assets_with_the_templates_classes(
    variant: str, engine: Engine, tmp_path: Path, container: list[str]
) -> None:
    path = _project(tmp_path, variant)
    engine.init(path)
    dockerfile = (path / "Dockerfile").read_text()
    frontend = dockerfile.split(" AS frontend", 1)[1].split(" AS releaser", 1)[0]
    assert VARIANTS[variant][1] in frontend
    assert "COPY lib /app/lib" in frontend  # Tailwind's content globs read ../lib
    image = f"kn-e2e/assets-{variant}:{uuid.uuid4().hex[:8]}"
    try:
        engine.run("build", "--progress=plain", "-t", image, str(path))
        manifest = engine.run("run", "--rm", "--entrypoint", "cat", image, MANIFEST).stdout
        assert '"latest"' in manifest and "assets/app.css" in manifest

        _, base = start(engine, container, image)
        status, page = http_get(base + "/")
        assert status == 200, page
        urls = re.findall(r'(?:href|src)="(/assets/[^"]+)"', page)
        assert len(urls) == 2, page
        css = b""
        for url in urls:
            assert re.search(r"-[0-9a-f]{32}\.(css|js)$", url), f"{url} is not digested"
            body = _fetch(base + url)
            assert body.strip(), f"{url} is empty"
            if url.endswith(".css"):
                css = body
        assert TEMPLATE_CLASS.encode() in css, "the CSS lacks the class the .heex template uses"
    finally:
        engine.run("rmi", "-f", image, check=False)
