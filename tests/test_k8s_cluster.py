"""`kubenative k8s --cluster dns|kubernetes|none`: the headless Service, the NetworkPolicy, the
RBAC, the node names, the fixed distribution port and the cookie, checked on the built
kustomization of each golden scenario (mix releases with and without EPMD, Distillery,
libcluster's Kubernetes strategy), and the Elixir printed when the config lacks a read."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from kubenative import app, cli

from .conftest import GOLDEN
from .test_golden import _overrides
from .test_k8s import KUBECTL, VERSIONS, _validate


def _generate(name: str, **more: object) -> app.Generated:
    scenario = GOLDEN / name
    return app.generate(str(scenario / "project"), {**_overrides(scenario), **more})


def _built(generated: app.Generated, tmp_path: Path) -> list[dict[str, Any]]:
    """`kubectl kustomize` of the base, with a secrets.env of test values."""
    for planned in generated.files:
        if planned.path.startswith("k8s/"):
            (tmp_path / planned.path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / planned.path).write_text(planned.text)
    base = tmp_path / "k8s"
    example = base / "secrets.env.example"
    if example.is_file():
        keys = [
            line.lstrip("# ").split("=")[0]
            for line in example.read_text().splitlines()
            if line.rstrip().endswith("=")
        ]
        (base / "secrets.env").write_text("".join(f"{k}=test-{k}\n" for k in keys))
    out = subprocess.run(
        [KUBECTL, "kustomize", str(base)], capture_output=True, text=True, check=True
    ).stdout
    docs = [doc for doc in yaml.safe_load_all(out) if doc]
    for version in VERSIONS:
        for doc in docs:
            _validate(doc, version)
    return docs


def _one(docs: list[dict[str, Any]], kind: str, name: str | None = None) -> dict[str, Any]:
    found = [d for d in docs if d["kind"] == kind and name in (None, d["metadata"]["name"])]
    assert len(found) == 1, (kind, name, [d["metadata"]["name"] for d in found])
    return found[0]


def _container(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["spec"]["template"]["spec"]["containers"][0]  # type: ignore[no-any-return]


def _env(doc: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in _container(doc)["env"]}


# (scenario, extra options, mode, EPMD runs, the node name)
CASES = [
    ("phoenix_release_env", {}, "dns", False, "hello@$(POD_IP)"),
    ("cluster_dnspoll_epmd", {}, "dns", True, "realtime_lite@$(POD_IP)"),
    ("cluster_libcluster_kubernetes", {}, "kubernetes", False, "orders@$(POD_IP)"),
    ("cluster_distillery", {}, "dns", True, None),
    ("seed_umbrella_distillery", {"cluster": "dns"}, "dns", True, None),
]


@pytest.mark.parametrize(("name", "more", "mode", "epmd", "node"), CASES)
def test_the_cluster_is_wired_end_to_end_in_the_built_kustomization(
    name: str, more: dict[str, object], mode: str, epmd: bool, node: str | None, tmp_path: Path
) -> None:
    generated = _generate(name, **more)
    docs = _built(generated, tmp_path)
    deployment = _one(docs, "Deployment")
    container = _container(deployment)
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    headless = next(d for d in docs if d["kind"] == "Service" and d["spec"].get("clusterIP"))
    spec = headless["spec"]
    assert spec["clusterIP"] == "None" and spec["publishNotReadyAddresses"] is True
    assert spec["selector"] == deployment["spec"]["selector"]["matchLabels"]
    assert {p["name"]: p["port"] for p in spec["ports"]} == {
        k: v for k, v in ports.items() if k in ("dist", "epmd")
    }
    assert ("epmd" in ports) == epmd and ("epmd" not in ports or ports["epmd"] == 4369)

    # The NetworkPolicy: the distribution only from this app's pods, HTTP from anywhere.
    policy = _one(docs, "NetworkPolicy")
    assert policy["spec"]["podSelector"] == deployment["spec"]["selector"]
    dist_rule, http_rule = policy["spec"]["ingress"]
    assert dist_rule["from"] == [{"podSelector": deployment["spec"]["selector"]}]
    assert {p["port"] for p in dist_rule["ports"]} == {"dist"} | ({"epmd"} if epmd else set())
    assert "from" not in http_rule and http_rule["ports"][0]["port"] == "http"

    env = _env(deployment)
    assert env["POD_IP"] == {"fieldRef": {"fieldPath": "status.podIP"}}
    secret = _one(docs, "Secret")
    config = _one(docs, "ConfigMap", next(n for n in _names(docs, "ConfigMap") if "-config" in n))
    cookie_var = "ERLANG_COOKIE" if name == "seed_umbrella_distillery" else "RELEASE_COOKIE"
    assert cookie_var in secret["data"]  # the cookie comes from the Secret...
    assert {"secretRef": {"name": secret["metadata"]["name"]}} in container["envFrom"]
    assert cookie_var not in env and cookie_var not in (config.get("data") or {})  # ...only
    flags = _flags(docs, deployment)
    port = ports["dist"]
    if node is not None:  # a mix release: its name and distribution from the environment
        assert env["RELEASE_DISTRIBUTION"] == "name" and env["RELEASE_NODE"] == node
    else:  # Distillery: REPLACE_OS_VARS fills the vm.args; the port through ERL_OPTS
        assert env["REPLACE_OS_VARS"] == "true"
        assert f"inet_dist_listen_min {port} inet_dist_listen_max {port}" in env["ERL_OPTS"]
    if epmd and node is not None:
        assert (
            f"-kernel inet_dist_listen_min {port} inet_dist_listen_max {port}" in flags["vm.args"]
        )
    elif not epmd:
        assert f"-start_epmd false -erl_epmd_port {port}" in flags["vm.args"]
        assert f"-erl_epmd_port {port} -dist_listen false" in flags["remote.vm.args"]
    roles = [d for d in docs if d["kind"] in ("ServiceAccount", "Role", "RoleBinding")]
    assert bool(roles) == (mode == "kubernetes")


def _names(docs: list[dict[str, Any]], kind: str) -> list[str]:
    return [d["metadata"]["name"] for d in docs if d["kind"] == kind]


def _flags(docs: list[dict[str, Any]], deployment: dict[str, Any]) -> dict[str, str]:
    """The vm.args files the pods read: the mounted ConfigMap (its generated, hashed name
    reaches the volume) at the paths RELEASE_VM_ARGS / VMARGS_PATH name."""
    pod = deployment["spec"]["template"]["spec"]
    volume = next((v for v in pod["volumes"] if v["name"] == "vm-args"), None)
    if volume is None:
        return {}
    data = _one(docs, "ConfigMap", volume["configMap"]["name"])["data"]
    mount = next(m for m in _container(deployment)["volumeMounts"] if m["name"] == "vm-args")
    env = _env(deployment)
    for var in ("RELEASE_VM_ARGS", "RELEASE_REMOTE_VM_ARGS", "VMARGS_PATH"):
        if var in env:
            folder, _, file = env[var].rpartition("/")
            assert folder == mount["mountPath"] and file in data, var
    return data  # type: ignore[no-any-return]


def test_libcluster_kubernetes_gets_a_role_to_read_endpoints_and_pods(tmp_path: Path) -> None:
    docs = _built(_generate("cluster_libcluster_kubernetes"), tmp_path)
    deployment = _one(docs, "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    account = _one(docs, "ServiceAccount")
    assert pod["serviceAccountName"] == account["metadata"]["name"]
    assert pod["automountServiceAccountToken"] is True
    role = _one(docs, "Role")
    rules = {
        (g, r): rule["verbs"]
        for rule in role["rules"]
        for g in rule["apiGroups"]
        for r in rule["resources"]
    }
    assert rules == {
        ("", "endpoints"): ["get", "list", "watch"],
        ("discovery.k8s.io", "endpointslices"): ["get", "list", "watch"],
        ("", "pods"): ["get", "list", "watch"],  # kubernetes_ip_lookup_mode: :pods
    }
    binding = _one(docs, "RoleBinding")
    assert binding["roleRef"]["name"] == role["metadata"]["name"]
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": account["metadata"]["name"], "namespace": "ops"}
    ]
    # The selector the config reads selects these very pods; the basename is the literal.
    config = _one(docs, "ConfigMap", "orders-config")["data"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    selector = dict(part.split("=") for part in config["LIBCLUSTER_SELECTOR"].split(","))
    assert selector.items() <= labels.items()
    assert _env(deployment)["RELEASE_NODE"] == "orders@$(POD_IP)"
    job = [d for d in docs if d["kind"] == "Job"]
    assert not job


def test_the_dns_query_names_the_headless_service_in_the_namespace(tmp_path: Path) -> None:
    generated = _generate("phoenix_release_env")
    docs = _built(generated, tmp_path)
    config = _one(docs, "ConfigMap", next(n for n in _names(docs, "ConfigMap") if "-config" in n))
    headless = next(d for d in docs if d["kind"] == "Service" and d["spec"].get("clusterIP"))
    assert config["data"]["DNS_CLUSTER_QUERY"] == (
        f"{headless['metadata']['name']}.shop.svc.cluster.local"
    )
    [warning] = [w for w in generated.warnings if "--cluster dns" in w]
    assert (
        "Application.get_env(:hello, :dns_cluster_query)` (lib/hello/application.ex:13)" in warning
    )
    assert warning.endswith(
        "    # config/runtime.exs:\n"
        '    config :hello, :dns_cluster_query, System.get_env("DNS_CLUSTER_QUERY")'
    )


def test_a_project_without_clustering_gets_the_whole_dns_cluster_setup_to_add() -> None:
    generated = _generate("seed_umbrella_distillery", cluster="dns")
    [warning] = [w for w in generated.warnings if "--cluster dns" in w]
    assert '{:dns_cluster, "~> 0.2"},' in warning
    assert (
        "{DNSCluster, query: Application.get_env(:kube_native_web, :dns_cluster_query) "
        "|| :ignore}," in warning
    )
    files = {p.path: p.text for p in generated.files}
    assert "k8s/vm.args" not in files  # rel/vm.args already names the node from POD_IP
    deployment = yaml.safe_load(files["k8s/deployment.yaml"])
    assert "VMARGS_PATH" not in _env(deployment)
    assert files["k8s/configmap.yaml"].count("DNS_CLUSTER_QUERY: kube-native-headless") == 1


def test_distillery_without_its_own_vm_args_gets_one_naming_the_node_from_the_pod_ip() -> None:
    generated = _generate("cluster_distillery")
    files = {p.path: p.text for p in generated.files}
    vm_args = files["k8s/vm.args"].splitlines()
    assert "-name ledger@${POD_IP}" in vm_args and "-setcookie ${RELEASE_COOKIE}" in vm_args
    env = _env(yaml.safe_load(files["k8s/deployment.yaml"]))
    assert env["VMARGS_PATH"] == "/etc/release/vm.args"
    assert env["ERL_OPTS"].startswith("+sbwt none ")  # the project's erl_opts are kept
    assert "CLUSTER_SERVICE: ledger-headless" in files["k8s/configmap.yaml"]


def test_env_sh_assignments_that_replace_the_pods_values_are_named() -> None:
    generated = _generate("cluster_dnspoll_epmd")
    cookie = [w for w in generated.warnings if "rel/env.sh.eex:9 sets RELEASE_COOKIE" in w]
    node = [w for w in generated.warnings if "rel/env.sh.eex:8 sets RELEASE_NODE" in w]
    assert cookie and "anyone who can pull the image" in cookie[0]
    assert node and "realtime_lite@<pod IP>" in node[0]
    assert not [w for w in generated.warnings if "RELEASE_DISTRIBUTION" in w]  # same value
    assert [w for w in generated.warnings if "rel/vm.args.eex:8" in w]
    files = {p.path: p.text for p in generated.files}
    assert "+Q 65536" in files["k8s/vm.args"] and "<%" not in files["k8s/vm.args"]


def test_replicas_without_clustering_say_so_unless_none_is_chosen() -> None:
    auto = _generate("phoenix17_esbuild", cluster=None, replicas=3)
    explicit = _generate("phoenix17_esbuild", cluster="none", replicas=3)
    worker = _generate("plain_otp", replicas=2)
    pubsub = "Phoenix.PubSub broadcasts (LiveView updates, Channels, Presence)"
    assert auto.project.clustering.mode == "dns"  # phx.new 1.7 brings dns_cluster
    assert not any(pubsub in w for w in auto.warnings)
    assert not any("without clustering" in w for w in explicit.warnings)
    assert not any(p.path.endswith("headless-service.yaml") for p in explicit.files)
    assert any("2 replicas without clustering" in w for w in worker.warnings)


def test_a_bad_cluster_value_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["k8s", str(GOLDEN / "plain_otp" / "project"), "--cluster", "gossip"])
    assert exit_.value.code == 2
    assert "invalid choice: 'gossip'" in capsys.readouterr().err


def test_the_cluster_choice_is_saved(tmp_path: Path) -> None:
    from kubenative import options

    saved = options.dump(options.Options(k8s=True, cluster="kubernetes"))
    assert 'cluster = "kubernetes"' in saved
    (tmp_path / ".kubenative.toml").write_text(saved)
    assert options.load(tmp_path).cluster == "kubernetes"
    (tmp_path / ".kubenative.toml").write_text('k8s = true\ncluster = "mesh"\n')
    with pytest.raises(
        Exception, match=re.escape("--cluster must be one of dns, kubernetes, none")
    ):
        options.load(tmp_path)


def _distillery_with(tmp_path: Path, vm_args: str) -> app.Generated:
    """cluster_distillery with its own rel/vm.args (`set vm_args:` in prod)."""
    import shutil

    scenario = GOLDEN / "cluster_distillery"
    project = tmp_path / "project"
    shutil.copytree(scenario / "project", project)
    config = project / "rel" / "config.exs"
    config.write_text(
        config.read_text().replace(
            '  set erl_opts: "+sbwt none"\n',
            '  set erl_opts: "+sbwt none"\n  set vm_args: "rel/vm.args"\n',
        )
    )
    (project / "rel" / "vm.args").write_text(vm_args)
    return app.generate(str(project), _overrides(scenario))


def test_distillery_vm_args_naming_the_node_from_the_environment_is_kept(tmp_path: Path) -> None:
    # The article's shape: Distillery renders <%= release_name %> at build, REPLACE_OS_VARS
    # fills the rest at boot.
    generated = _distillery_with(
        tmp_path, "-name <%= release_name %>@${MY_POD_IP}\n-setcookie ${ERLANG_COOKIE}\n+K true\n"
    )
    files = {p.path: p.text for p in generated.files}
    assert "k8s/vm.args" not in files
    env = _env(yaml.safe_load(files["k8s/deployment.yaml"]))
    assert env["MY_POD_IP"] == "$(POD_IP)" and "VMARGS_PATH" not in env
    assert "ERLANG_COOKIE=" in files["k8s/secrets.env.example"]
    assert "RELEASE_COOKIE" not in files["k8s/secrets.env.example"]


def test_distillery_vm_args_with_a_baked_cookie_is_replaced(tmp_path: Path) -> None:
    generated = _distillery_with(
        tmp_path,
        "-name <%= release_name %>@${CONTAINER_IP}\n-setcookie <%= release.profile.cookie %>\n",
    )
    files = {p.path: p.text for p in generated.files}
    assert "-name ledger@${POD_IP}" in files["k8s/vm.args"]
    # The project's vm.args is no longer read: its ${CONTAINER_IP} needs no value.
    assert not any("CONTAINER_IP" in w for w in generated.warnings)
    assert "CONTAINER_IP" not in files["k8s/configmap.yaml"]


def test_the_snippet_goes_where_the_release_reads_config_at_boot() -> None:
    def snippet(generated: app.Generated) -> str:
        [warning] = [w for w in generated.warnings if "Add these lines" in w]
        return warning

    distillery = snippet(_generate("cluster_distillery", cluster="kubernetes"))
    assert "# config/prod.exs:" in distillery  # Distillery: "${VAR}" filled by REPLACE_OS_VARS
    assert 'kubernetes_selector: "${CLUSTER_SELECTOR}"' in distillery
    current = snippet(_generate("cluster_dnspoll_epmd", cluster="kubernetes"))
    assert "# config/runtime.exs" in current  # Elixir 1.11 brought runtime.exs
    assert 'kubernetes_selector: System.fetch_env!("CLUSTER_SELECTOR")' in current
    old = snippet(_generate("elixir_only_pin", k8s=True, cluster="dns"))  # Elixir 1.9
    assert "# config/releases.exs:" in old


DNSSRV_RUNTIME = """import Config

if config_env() == :prod do
  config :libcluster,
    topologies: [
      k8s: [
        strategy: Cluster.Strategy.Kubernetes.DNSSRV,
        config: [
          service: System.fetch_env!("CLUSTER_SERVICE"),
          namespace: System.fetch_env!("POD_NAMESPACE"),
          application_name: "orders"
        ]
      ]
    ]
end
"""


def test_dnssrv_names_the_pods_by_host_name_under_the_headless_service(tmp_path: Path) -> None:
    import shutil

    scenario = GOLDEN / "cluster_libcluster_kubernetes"
    project = tmp_path / "project"
    shutil.copytree(scenario / "project", project)
    (project / "config" / "runtime.exs").write_text(DNSSRV_RUNTIME)
    generated = app.generate(str(project), {**_overrides(scenario), "cluster": None})
    assert generated.project.clustering.strategy == "Cluster.Strategy.Kubernetes.DNSSRV"
    assert not [w for w in generated.warnings if "Add these lines" in w]
    docs = _built(generated, tmp_path / "built")
    deployment = _one(docs, "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    headless = next(d for d in docs if d["kind"] == "Service" and d["spec"].get("clusterIP"))
    assert pod["subdomain"] == headless["metadata"]["name"] == "orders-headless"
    env = _env(deployment)
    assert env["POD_NAME"] == {"fieldRef": {"fieldPath": "metadata.name"}}
    assert env["POD_NAMESPACE"] == {"fieldRef": {"fieldPath": "metadata.namespace"}}
    assert env["RELEASE_NODE"] == (
        "orders@$(POD_NAME).orders-headless.$(POD_NAMESPACE).svc.cluster.local"
    )
    names = [e["name"] for e in _container(deployment)["env"]]
    assert names.index("POD_NAME") < names.index("RELEASE_NODE")  # defined before its use
    config = _one(docs, "ConfigMap", "orders-config")["data"]
    assert config["CLUSTER_SERVICE"] == "orders-headless" and "POD_NAMESPACE" not in config
    assert not [d for d in docs if d["kind"] in ("Role", "RoleBinding")]
