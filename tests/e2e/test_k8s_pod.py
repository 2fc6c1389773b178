"""The rendered pod spec runs. No cluster runs here, so this test plays the kubelet: it reads
the Deployment and the Job kubenative wrote for the otp_service fixture and runs the built image
as they say — the ConfigMap and a Secret of test values as the environment, the pod env with
``$(VAR)`` expanded (POD_IP is the container's own address), the pod's uid/gid, a read-only
root with every emptyDir as a tmpfs, every capability dropped, no new privileges. Then it polls
the rendered readiness probe until it passes, sends SIGTERM and expects exit 0 within the
rendered grace period, and runs the Job's command the same way."""

from __future__ import annotations

import ipaddress
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..conftest import EXAMPLE, REPO
from . import kubelet
from .conftest import Engine

# (name, project, `kubenative k8s` options): a plain OTP service with its own release module
# and the bundled umbrella (its options are saved in its .kubenative.toml).
FIXTURES = (
    (
        "otp_service",
        REPO / "tests" / "e2e" / "fixtures" / "otp_service",
        ("--health-path", "/health"),
    ),
    ("umbrella", EXAMPLE, ()),
)


@dataclass
class Rendered:
    name: str
    engine: Engine
    path: Path
    image: str
    network: str
    subnet: ipaddress.IPv4Network

    def load(self, name: str) -> dict[str, Any]:
        return yaml.safe_load((self.path / "k8s" / name).read_text())  # type: ignore[no-any-return]


@pytest.fixture(scope="module", params=FIXTURES, ids=[f[0] for f in FIXTURES])
def rendered(
    request: pytest.FixtureRequest, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Rendered]:
    name, source, options = request.param
    path = tmp_path_factory.mktemp("k8s-pod") / name
    shutil.copytree(source, path)
    engine.init(path)
    done = subprocess.run(
        [sys.executable, "-m", "kubenative", "k8s", str(path), *options],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    image = f"kn-e2e/k8s-pod:{uuid.uuid4().hex[:8]}"
    engine.run("build", "-t", image, str(path))
    # A subnet of our own, so the container can be given its address before it starts (the
    # kubelet knows the pod's IP when it sets POD_IP); another run may hold one, so retry.
    network = f"kn-e2e-k8s-{uuid.uuid4().hex[:8]}"
    for _ in range(10):
        subnet = ipaddress.IPv4Network(f"10.213.{uuid.uuid4().int % 250}.0/24")
        made = engine.run("network", "create", "--subnet", str(subnet), network, check=False)
        if made.returncode == 0:
            break
    else:
        raise AssertionError(f"no free subnet for a test network: {made.stderr}")
    try:
        yield Rendered(name, engine, path, image, network, subnet)
    finally:
        engine.run("network", "rm", network, check=False)
        engine.run("rmi", "-f", image, check=False)


def _docker_run_args(
    rendered: Rendered, pod: dict[str, Any], container: dict[str, Any], ip: str
) -> list[str]:
    """`docker run` options equivalent to what the kubelet does with this pod spec."""
    base = rendered.path / "k8s"
    env = kubelet.pod_env(base, container, {"ip": ip, "name": "pod", "namespace": "default"})
    mounts = rendered.path.parent / f"mounts-{uuid.uuid4().hex[:8]}"
    return kubelet.docker_run_args(base, rendered.network, pod, container, ip, env, mounts)


def _free_ip(rendered: Rendered) -> str:
    hosts = list(rendered.subnet.hosts())
    return str(hosts[10 + uuid.uuid4().int % 200])


def _probe_ok(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= response.status < 400
    except urllib.error.HTTPError as err:
        return 200 <= err.code < 400
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def test_the_deployment_runs_as_the_kubelet_would_run_it(
    rendered: Rendered, container: list[str]
) -> None:
    deployment = rendered.load("deployment.yaml")
    pod = deployment["spec"]["template"]["spec"]
    spec = pod["containers"][0]
    assert "command" not in spec and "args" not in spec  # the image's own start command
    ip = _free_ip(rendered)
    name = f"kn-e2e-pod-{uuid.uuid4().hex[:8]}"
    container.append(name)
    ports = {p["name"]: p["containerPort"] for p in spec["ports"]}
    run = _docker_run_args(rendered, pod, spec, ip)
    rendered.engine.run(
        "run", "-d", "--name", name, "-p", f"127.0.0.1::{ports['http']}", *run, rendered.image
    )
    address = rendered.engine.run("port", name, f"{ports['http']}/tcp").stdout.split()[0]

    readiness = spec["readinessProbe"]
    startup = spec["startupProbe"]
    get = readiness["httpGet"]
    assert get["port"] == "http"
    url = f"http://{address}{get['path']}"
    deadline = time.monotonic() + startup["periodSeconds"] * startup["failureThreshold"]
    ready = False
    while time.monotonic() < deadline:
        if _probe_ok(url, readiness["timeoutSeconds"]):
            ready = True
            break
        time.sleep(readiness["periodSeconds"] / 5)  # poll faster than the kubelet would
    logs = rendered.engine.run("logs", name, check=False)
    assert ready, f"readiness probe {url} never passed:\n{logs.stdout}\n{logs.stderr}"

    # The environment the release saw, and the distributed node name built from $(POD_IP).
    node = rendered.engine.run(
        "exec",
        name,
        f"/app/bin/{deployment['metadata']['name'].replace('-', '_')}",
        "rpc",
        "IO.puts(node())",
    )
    assert node.stdout.strip() == f"{deployment['metadata']['name'].replace('-', '_')}@{ip}"
    uid = rendered.engine.run("exec", name, "id", "-u").stdout.strip()
    assert uid == str(pod["securityContext"]["runAsUser"])

    grace = pod["terminationGracePeriodSeconds"]
    started = time.monotonic()
    rendered.engine.run("kill", "--signal", "TERM", name)
    waited = rendered.engine.run("wait", name, timeout=grace + 5)
    elapsed = time.monotonic() - started
    assert waited.stdout.strip() == "0", rendered.engine.run("logs", name, check=False).stderr
    assert elapsed < grace, f"took {elapsed:.1f}s to stop, the grace period is {grace}s"


def test_the_migration_job_runs_with_the_jobs_env_and_security(rendered: Rendered) -> None:
    if rendered.name != "otp_service":
        assert not (rendered.path / "k8s" / "migrate-job.yaml").exists()  # no repos, no module
        return
    job = rendered.load("migrate-job.yaml")
    pod = job["spec"]["template"]["spec"]
    spec = pod["containers"][0]
    assert (
        spec["image"]
        == rendered.load("deployment.yaml")["spec"]["template"]["spec"]["containers"][0]["image"]
    )
    command = spec["command"]
    assert command[1:] == ["eval", "OtpService.Release.migrate()"]
    run = _docker_run_args(rendered, pod, spec, _free_ip(rendered))
    done = rendered.engine.run(
        "run",
        "--rm",
        *run,
        "--entrypoint",
        command[0],
        rendered.image,
        *command[1:],
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "otp_service migrated: wrote /tmp/otp_service-migrated, API_TOKEN set" in done.stdout
