"""Nodes really cluster the way `kubenative k8s --cluster dns` configures them.

No cluster runs here, so Docker stands in: three containers of the built image on one network
under one `--network-alias` named like the headless Service's DNS name (Docker's DNS answers it
with one A record per container, as a headless Service does for its pods), each started the way
the kubelet would start the rendered pod (kubelet.py: ConfigMap + Secret + `$(POD_IP)` expanded
to the container's address, the generated vm.args ConfigMap mounted, read-only root, uid 1000,
no capabilities). The fixture (fixtures/cluster_dns) clusters with its own few-line DNSCluster.

Checked: within 30 s each node lists the other two (`bin/chorus rpc`); a fourth container with
another cookie is refused (the cookie in the image is the same for all four, so this also shows
the Secret's cookie is the one in use); a stopped node drops out of the others' `Node.list()`;
each node listens on the distribution port the manifests name and on the HTTP port, nothing
else (no EPMD: Elixir 1.14 / OTP 25 run without it).
"""

from __future__ import annotations

import ipaddress
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ..conftest import REPO
from . import kubelet
from .conftest import Engine

FIXTURE = REPO / "tests" / "e2e" / "fixtures" / "cluster_dns"
NAMESPACE = "kn"
PREFIX = "kn-cluster-"


@dataclass
class Cluster:
    engine: Engine
    base: Path  # the rendered kustomize base
    image: str
    network: str
    subnet: ipaddress.IPv4Network
    alias: str  # the headless Service's DNS name
    work: Path
    started: list[str] = field(default_factory=list)

    @property
    def deployment(self) -> dict[str, Any]:
        return kubelet.load(self.base, "deployment.yaml")

    @property
    def pod(self) -> dict[str, Any]:
        return self.deployment["spec"]["template"]["spec"]  # type: ignore[no-any-return]

    @property
    def container(self) -> dict[str, Any]:
        return self.pod["containers"][0]  # type: ignore[no-any-return]

    @property
    def release(self) -> str:
        return self.deployment["metadata"]["name"].replace("-", "_")  # type: ignore[no-any-return]

    def start(self, index: int, cookie: str | None = None) -> tuple[str, str]:
        """Start pod ``index`` (its IP is .10+index); ``cookie`` replaces the Secret's."""
        ip = str(list(self.subnet.hosts())[9 + index])
        name = f"{PREFIX}{uuid.uuid4().hex[:8]}-{index}"
        secrets = kubelet.secret_values(self.base)
        if cookie is not None:
            secrets["RELEASE_COOKIE"] = cookie
        env = kubelet.pod_env(
            self.base,
            self.container,
            {"ip": ip, "name": name, "namespace": NAMESPACE},
            secrets,
        )
        args = kubelet.docker_run_args(
            self.base, self.network, self.pod, self.container, ip, env, self.work / name
        )
        self.started.append(name)
        self.engine.run(
            "run", "-d", "--name", name, "--network-alias", self.alias, *args, self.image
        )
        return name, ip

    def nodes(self, name: str) -> set[str] | None:
        """The nodes ``name``'s node is connected to (``bin/<release> rpc``), None when the
        rpc fails (the node is still booting)."""
        done = self.engine.run(
            "exec",
            name,
            f"/app/bin/{self.release}",
            "rpc",
            'IO.puts(Enum.join(Enum.sort(Node.list()), " "))',
            check=False,
            timeout=60,
        )
        if done.returncode != 0:
            return None
        return set(done.stdout.split())

    def listening(self, name: str) -> set[int]:
        """The TCP ports the release listens on: /proc/net/tcp and tcp6, state 0A (LISTEN),
        sockets of the pod's uid (Docker's own DNS listens in the container's network
        namespace too, on 127.0.0.11, as root)."""
        uid = str(self.pod["securityContext"]["runAsUser"])
        done = self.engine.run("exec", name, "cat", "/proc/net/tcp", "/proc/net/tcp6")
        ports = set()
        for line in done.stdout.splitlines():
            parts = line.split()
            if len(parts) > 7 and parts[3] == "0A" and parts[7] == uid:
                ports.add(int(parts[1].rsplit(":", 1)[1], 16))
        return ports

    def processes(self, name: str) -> str:
        """Every process of the container with its sockets, for a failure message."""
        script = (
            "cat /proc/net/tcp /proc/net/tcp6; for p in /proc/[0-9]*; do "
            'echo "$p $(tr "\\0" " " < $p/cmdline | cut -c1-400)"; '
            "ls -l $p/fd 2>/dev/null | grep socket; done"
        )
        return self.engine.run("exec", name, "sh", "-c", script, check=False).stdout

    def logs(self) -> str:
        out = []
        for name in self.started:
            done = self.engine.run("logs", name, check=False)
            out.append(f"--- {name}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return "\n".join(out)


@pytest.fixture(scope="module")
def cluster(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    work = tmp_path_factory.mktemp("cluster")
    path = work / "chorus"
    shutil.copytree(FIXTURE, path)
    engine.init(path)
    done = subprocess.run(
        [sys.executable, "-m", "kubenative", "k8s", str(path), "--namespace", NAMESPACE],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    image = f"kn-cluster/chorus:{uuid.uuid4().hex[:8]}"
    network = f"{PREFIX}{uuid.uuid4().hex[:8]}"
    made = None
    try:
        engine.run("build", "-t", image, str(path))
        for _ in range(10):  # a subnet of our own, so each container gets its IP up front
            subnet = ipaddress.IPv4Network(f"10.214.{uuid.uuid4().int % 250}.0/24")
            made = engine.run("network", "create", "--subnet", str(subnet), network, check=False)
            if made.returncode == 0:
                break
        assert made is not None and made.returncode == 0, f"no free subnet: {made}"
        base = path / "k8s"
        headless = kubelet.load(base, "headless-service.yaml")["metadata"]["name"]
        alias = f"{headless}.{NAMESPACE}.svc.cluster.local"
        found = Cluster(engine, base, image, network, subnet, alias, work)
        try:
            yield found
        finally:
            for name in found.started:
                engine.run("rm", "-f", name, check=False)
    finally:
        engine.run("network", "rm", network, check=False)
        engine.run("rmi", "-f", image, check=False)


def _wait(check: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(1)
    return False


def test_the_manifests_configure_dns_clustering_from_the_project(cluster: Cluster) -> None:
    config = kubelet.load(cluster.base, "configmap.yaml")["data"]
    assert config["DNS_CLUSTER_QUERY"] == cluster.alias  # what the fixture's runtime.exs reads
    env = {e["name"]: e for e in cluster.container["env"]}
    assert env["RELEASE_NODE"]["value"] == f"{cluster.release}@$(POD_IP)"
    assert "RELEASE_COOKIE" in kubelet.secret_values(cluster.base)


def test_nodes_find_each_other_refuse_a_stranger_and_drop_a_stopped_node(
    cluster: Cluster,
) -> None:
    pods = [cluster.start(i) for i in range(3)]
    names = {name: f"{cluster.release}@{ip}" for name, ip in pods}

    def meshed() -> bool:
        return all(
            cluster.nodes(name) == set(names.values()) - {node} for name, node in names.items()
        )

    started = time.monotonic()
    assert _wait(meshed, 30), cluster.logs()
    print(f"3 nodes clustered {time.monotonic() - started:.1f}s after the last start")

    # The distribution listens on the port the manifests name, and nothing else but HTTP.
    ports = {p["name"]: p["containerPort"] for p in cluster.container["ports"]}
    assert "epmd" not in ports
    vm_args = (cluster.base / "vm.args").read_text()
    assert f"-erl_epmd_port {ports['dist']}" in vm_args
    for name in names:
        assert cluster.listening(name) == {ports["http"], ports["dist"]}, cluster.processes(name)

    # A node with another cookie finds the others under the same name and is refused.
    stranger, stranger_ip = cluster.start(3, cookie="another-cookie")
    stranger_node = f"{cluster.release}@{stranger_ip}"
    assert _wait(lambda: cluster.nodes(stranger) is not None, 30), cluster.logs()
    time.sleep(5)  # five discovery rounds on every node
    assert cluster.nodes(stranger) == set()
    for name, node in names.items():
        assert cluster.nodes(name) == set(names.values()) - {node}, name
    refusal = f'Connection attempt from node :"{stranger_node}" rejected'
    for name in names:  # refused by the cookie check, not merely not found
        logs = cluster.engine.run("logs", name)
        assert refusal in logs.stdout + logs.stderr, name

    # A stopped node drops out of the others' Node.list().
    gone = pods[2][0]
    cluster.engine.run("stop", "--time", "20", gone)
    left = {name: node for name, node in names.items() if name != gone}
    assert _wait(
        lambda: all(cluster.nodes(n) == set(left.values()) - {node} for n, node in left.items()),
        15,
    ), cluster.logs()
