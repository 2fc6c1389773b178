"""Play the kubelet with Docker: turn a rendered pod spec (and the ConfigMap, Secret and
generated ConfigMap files of the kustomize base next to it) into `docker run` options.

No cluster runs here. What the kubelet would do and these options do alike: the ConfigMap and
a Secret of test values as the environment, the pod env with ``$(VAR)`` expanded (POD_IP is the
container's own address, POD_NAME its name), the pod's uid/gid, a read-only root with every
emptyDir as a tmpfs, a configMapGenerator's files mounted read-only where the volume says,
every capability dropped, no new privileges.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


def load(base: Path, name: str) -> dict[str, Any]:
    return yaml.safe_load((base / name).read_text())  # type: ignore[no-any-return]


def expand(value: str, env: dict[str, str]) -> str:
    """The kubelet's $(VAR) expansion: a defined variable is replaced, $$ escapes, anything
    else is left as written."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        return env.get(match.group(1), match.group(0))

    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)", one, value)


def secret_values(base: Path) -> dict[str, str]:
    """A Secret of test values for every key secrets.env.example names."""
    example = base / "secrets.env.example"
    if not example.is_file():
        return {}
    keys = [
        line.lstrip("# ").split("=")[0]
        for line in example.read_text().splitlines()
        if line.rstrip().endswith("=")
    ]
    return {key: f"test-{key.lower()}" for key in keys}


FIELDS = {"status.podIP": "ip", "metadata.name": "name", "metadata.namespace": "namespace"}


def pod_env(
    base: Path,
    container: dict[str, Any],
    pod: dict[str, str],
    secrets: dict[str, str] | None = None,
) -> dict[str, str]:
    """The container's environment: envFrom (ConfigMap, then Secret), then env in order, with
    the downward API's fields taken from ``pod`` (``ip``, ``name``, ``namespace``)."""
    config = load(base, "configmap.yaml")
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            assert source["configMapRef"]["name"] == config["metadata"]["name"]
            env.update(config.get("data") or {})
        elif "secretRef" in source:
            env.update(secret_values(base) if secrets is None else secrets)
    for item in container.get("env", []):
        if "valueFrom" in item:
            field = item["valueFrom"]["fieldRef"]["fieldPath"]
            env[item["name"]] = pod[FIELDS[field]]
        else:
            env[item["name"]] = expand(item["value"], env)
    return env


def _generated(base: Path) -> dict[str, list[str]]:
    """configMapGenerator name → its files, from the kustomization."""
    generators = load(base, "kustomization.yaml").get("configMapGenerator", [])
    return {g["name"]: list(g.get("files", [])) for g in generators}


def docker_run_args(
    base: Path,
    network: str,
    pod: dict[str, Any],
    container: dict[str, Any],
    ip: str,
    env: dict[str, str],
    mounts_dir: Path,
) -> list[str]:
    """`docker run` options equivalent to what the kubelet does with this pod spec; the files
    of a generated ConfigMap are copied under ``mounts_dir`` and bind-mounted read-only."""
    pod_security = pod["securityContext"]
    security = container["securityContext"]
    args = [
        "--network",
        network,
        "--ip",
        ip,
        "--user",
        f"{pod_security['runAsUser']}:{pod_security['runAsGroup']}",
        "--group-add",
        str(pod_security["fsGroup"]),
    ]
    if security.get("readOnlyRootFilesystem"):
        args.append("--read-only")
    if "ALL" in security.get("capabilities", {}).get("drop", []):
        args += ["--cap-drop", "ALL"]
    if security.get("allowPrivilegeEscalation") is False:
        args += ["--security-opt", "no-new-privileges"]
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    generated = _generated(base)
    for mount in container.get("volumeMounts", []):
        volume = volumes[mount["name"]]
        if "emptyDir" in volume:
            args += ["--tmpfs", f"{mount['mountPath']}:rw,exec,mode=1777"]  # an emptyDir is 0777
            continue
        name = volume["configMap"]["name"]
        assert name in generated, f"volume {mount['name']}: only generated ConfigMaps expected"
        folder = mounts_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        for file in generated[name]:
            (folder / file).write_text((base / file).read_text())
            (folder / file).chmod(0o644)
        folder.chmod(0o755)
        args += ["--mount", f"type=bind,src={folder},dst={mount['mountPath']},readonly"]
    for name, value in env.items():
        args += ["--env", f"{name}={value}"]
    return args
