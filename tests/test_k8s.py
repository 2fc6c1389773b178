"""`kubenative k8s`: every manifest of every golden scenario validates strictly against the
Kubernetes schemas (1.30 and the newest kubernetes-validate ships), a real kubectl builds the
kustomization, bad input is one line with nothing written, and the no-clobber rules hold."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from kubenative import app, cli
from kubenative.files import State
from kubenative.k8s.plan import split_image

from .conftest import EXAMPLE, GOLDEN
from .test_golden import _overrides

K8S_SCENARIOS = sorted(p.name for p in GOLDEN.iterdir() if (p / "k8s_args").is_file())
VERSIONS = ("1.30.0", kubernetes_validate.latest_version())
KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or "kubectl"


def _manifests(name: str) -> dict[str, str]:
    scenario = GOLDEN / name
    generated = app.generate(str(scenario / "project"), _overrides(scenario))
    return {p.path: p.text for p in generated.files if p.path.startswith("k8s/")}


def _validate(doc: dict[str, Any], version: str) -> None:
    kubernetes_validate.validate(doc, version, strict=True)


def test_the_scenarios_cover_the_issue() -> None:
    assert {
        "phoenix17_esbuild",  # Phoenix 1.7 with Ecto, no release module (Ecto.Migrator eval)
        "umbrella_three_apps_runtime_exs",  # the web app is one of several
        "seed_umbrella_distillery",
        "plain_otp",  # a worker: no Service, no probes
        "phoenix_release_env",  # required/defaulted variables of both kinds, a release module
        "k8s_two_endpoints",  # two endpoints, health on the internal one, HOSTNAME, Procfile
        "cluster_libcluster_kubernetes",  # --cluster kubernetes: RBAC
        "cluster_dnspoll_epmd",  # --cluster dns, EPMD (Elixir 1.11)
        "cluster_distillery",  # --cluster dns, Distillery
    } <= set(K8S_SCENARIOS)
    assert VERSIONS[1] != "1.30.0"


def test_strict_validation_rejects_an_unknown_field() -> None:
    doc = yaml.safe_load(_manifests("phoenix17_esbuild")["k8s/deployment.yaml"])
    _validate(doc, "1.30.0")
    bad = copy.deepcopy(doc)
    bad["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        _validate(bad, "1.30.0")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", K8S_SCENARIOS)
def test_every_manifest_validates_strictly(name: str, version: str) -> None:
    for path, text in _manifests(name).items():
        if not path.endswith(".yaml") or path.endswith("kustomization.yaml"):
            continue
        _validate(yaml.safe_load(text), version)


@pytest.mark.parametrize("name", K8S_SCENARIOS)
def test_kubectl_builds_the_kustomization_and_the_output_validates(
    name: str, tmp_path: Path
) -> None:
    files = _manifests(name)
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    base = tmp_path / "k8s"
    example = base / "secrets.env.example"
    if example.is_file():  # the user's secrets.env: every key, test values
        keys = [
            line.lstrip("# ").split("=")[0]
            for line in example.read_text().splitlines()
            if line.rstrip().endswith("=")
        ]
        (base / "secrets.env").write_text("".join(f"{key}=test-{key}\n" for key in keys))
    built = subprocess.run(
        [KUBECTL, "kustomize", str(base)], capture_output=True, text=True, check=False
    )
    assert built.returncode == 0, built.stderr
    docs = [doc for doc in yaml.safe_load_all(built.stdout) if doc]
    kinds = sorted(doc["kind"] for doc in docs)
    for version in VERSIONS:
        for doc in docs:
            _validate(doc, version)
    assert "Deployment" in kinds and "ConfigMap" in kinds
    deployment = next(doc for doc in docs if doc["kind"] == "Deployment")
    refs = [
        source
        for source in deployment["spec"]["template"]["spec"]["containers"][0]["envFrom"]
        if "secretRef" in source
    ]
    secret = next((doc for doc in docs if doc["kind"] == "Secret"), None)
    if refs:  # the generated Secret's hashed name reaches the pod spec
        assert secret is not None and refs[0]["secretRef"]["name"] == secret["metadata"]["name"]

    # CI's first apply (`-l 'app.kubernetes.io/component in (config,migrate)'`) must hold
    # everything the Job reads; the last one (`!=migrate`) everything else but the Job.
    def component(doc: dict[str, Any]) -> str | None:
        return doc["metadata"].get("labels", {}).get("app.kubernetes.io/component")

    first = sorted(d["kind"] for d in docs if component(d) in ("config", "migrate"))
    last = sorted(d["kind"] for d in docs if component(d) != "migrate")
    assert "ConfigMap" in first and ("Secret" in first) == (secret is not None)
    assert "Job" not in last and "Deployment" not in first
    job = next((doc for doc in docs if doc["kind"] == "Job"), None)
    if job is not None:
        version = deployment["metadata"]["annotations"]["app.kubernetes.io/version"]
        assert job["metadata"]["name"].endswith(f"-migrate-{version}")


def test_the_job_is_named_after_the_version_ci_sets(tmp_path: Path) -> None:
    files = _manifests("phoenix_release_env")
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    (tmp_path / "k8s" / "secrets.env").write_text("DATABASE_URL=x\nSECRET_KEY_BASE=y\n")
    kustomization = tmp_path / "k8s" / "kustomization.yaml"
    data = yaml.safe_load(kustomization.read_text())
    data["commonAnnotations"]["app.kubernetes.io/version"] = "v2.0.1-rc.1"
    data["images"][0]["newTag"] = "v2.0.1-rc.1"
    kustomization.write_text(yaml.safe_dump(data))
    out = subprocess.run(
        [KUBECTL, "kustomize", str(tmp_path / "k8s")], capture_output=True, text=True, check=True
    ).stdout
    names = [d["metadata"]["name"] for d in yaml.safe_load_all(out) if d["kind"] == "Job"]
    assert names == ["hello-migrate-v2.0.1-rc.1"]


def _docs(name: str) -> dict[str, Any]:
    return {
        path.removeprefix("k8s/"): yaml.safe_load(text)
        for path, text in _manifests(name).items()
        if path.endswith(".yaml")
    }


def _container(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["spec"]["template"]["spec"]["containers"][0]  # type: ignore[no-any-return]


def test_the_pod_spec_agrees_with_the_dockerfile() -> None:
    scenario = GOLDEN / "phoenix_release_env"
    generated = app.generate(str(scenario / "project"), _overrides(scenario))
    docs = _docs("phoenix_release_env")
    pod = docs["deployment.yaml"]["spec"]["template"]["spec"]
    container = _container(docs["deployment.yaml"])
    assert pod["securityContext"]["runAsUser"] == generated.plan.user_id
    assert container["ports"][0]["containerPort"] == generated.plan.port
    assert docs["configmap.yaml"]["data"]["PORT"] == str(generated.plan.port)
    assert container["readinessProbe"]["httpGet"]["path"] == "/_internal/healthz"
    assert "resources" in container and "cpu" not in container["resources"]["limits"]
    job = _container(docs["migrate-job.yaml"])
    assert job["command"] == ["/app/bin/hello", "eval", "Hello.Release.migrate()"]
    assert docs["deployment.yaml"]["spec"]["replicas"] == 3


@pytest.mark.parametrize("name", K8S_SCENARIOS)
def test_every_variable_read_at_boot_is_accounted_for(name: str) -> None:
    scenario = GOLDEN / name
    generated = app.generate(str(scenario / "project"), _overrides(scenario))
    files = _manifests(name)
    docs = _docs(name)
    data = docs["configmap.yaml"]["data"] or {}
    pod_env = {item["name"] for item in _container(docs["deployment.yaml"])["env"]}
    example = files.get("k8s/secrets.env.example", "")
    comment = [line for line in files["k8s/configmap.yaml"].splitlines() if line.startswith("#")]
    for var in generated.project.env:
        if var.secret:
            assert f"{var.name}=" in example, var
        elif var.name in data or var.name in pod_env or var.name == "HOSTNAME":
            continue
        else:  # no value known: named in the ConfigMap's comment, with where it is read
            assert any(var.name in line and var.source in line for line in comment), var


def test_a_worker_gets_no_service_and_no_probes() -> None:
    docs = _docs("plain_otp")
    assert "service.yaml" not in docs and "pdb.yaml" not in docs
    container = _container(docs["deployment.yaml"])
    assert not {"ports", "readinessProbe", "livenessProbe", "startupProbe"} & set(container)


def test_no_probe_ever_starts_a_second_vm() -> None:
    for name in K8S_SCENARIOS:
        for doc in _docs(name).values():
            if doc.get("kind") == "Deployment":
                container = _container(doc)
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    assert "exec" not in container.get(probe, {})


def test_without_a_health_route_the_probe_is_tcp_and_a_warning_names_the_route() -> None:
    scenario = GOLDEN / "phoenix17_esbuild"
    generated = app.generate(str(scenario / "project"), _overrides(scenario))
    assert any('get "/health"' in warning for warning in generated.warnings)
    container = _container(_docs("phoenix17_esbuild")["deployment.yaml"])
    assert container["readinessProbe"]["tcpSocket"] == {"port": "http"}


def test_a_required_variable_without_a_value_is_named() -> None:
    scenario = GOLDEN / "phoenix_release_env"
    generated = app.generate(str(scenario / "project"), _overrides(scenario))
    assert any("UPLOADS_BUCKET (config/runtime.exs:24)" in w for w in generated.warnings)
    data = _docs("phoenix_release_env")["configmap.yaml"]["data"]
    assert "UPLOADS_BUCKET" not in data and data["POOL_SIZE"] == "10"
    assert "SECRET_KEY_BASE" not in data and "DATABASE_URL" not in data


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--health-path", "health"], "--health-path 'health' is not an absolute URL path"),
        (["--health-path", "http://x/health"], "is not an absolute URL path"),
        (["--replicas", "0"], "--replicas must be 1 or more, not 0"),
        (["--namespace", "My_NS"], "--namespace 'My_NS' is not a DNS label"),
        (["--dir", "../elsewhere"], "must be a folder inside the project"),
    ],
)
def test_bad_input_is_one_line_and_nothing_is_written(
    args: list[str],
    message: str,
    copy_project: Callable[[Path], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = copy_project(GOLDEN / "plain_otp" / "project")
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    assert cli.main(["k8s", str(project), *args]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_k8s_writes_saves_options_ignores_secrets_and_check_covers_it(
    copy_project: Callable[[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(GOLDEN / "phoenix_release_env" / "project")
    assert cli.main(["k8s", str(project), "--replicas", "3", "--namespace", "shop"]) == 0
    out = capsys.readouterr().out
    assert "fill in k8s/secrets.env" in out and "DATABASE_URL, SECRET_KEY_BASE" in out
    assert (project / "k8s" / "deployment.yaml").is_file()
    # k8s writes the manifests only: the Dockerfile is init's
    assert not (project / "Dockerfile").exists() and not (project / ".dockerignore").exists()
    saved = (project / ".kubenative.toml").read_text()
    assert "k8s = true" in saved and "replicas = 3" in saved and 'namespace = "shop"' in saved
    assert "manifests-only = true" in saved
    assert "/k8s/secrets.env" in (project / ".gitignore").read_text().splitlines()
    capsys.readouterr()
    assert cli.main(["check", str(project)]) == 0  # the manifests only, no Dockerfile to check
    checked = capsys.readouterr().out
    assert "k8s/deployment.yaml" in checked and "Dockerfile" not in checked
    # a hand edit: check fails, k8s refuses without --force and writes nothing
    deployment = project / "k8s" / "deployment.yaml"
    deployment.write_text(deployment.read_text().replace("replicas: 3", "replicas: 5"))
    assert cli.main(["check", str(project)]) == 1
    assert cli.main(["k8s", str(project)]) == 1
    assert "replicas: 5" in deployment.read_text()
    assert cli.main(["k8s", str(project), "--force"]) == 0
    assert "replicas: 3" in deployment.read_text()
    # again: identical files are left alone, .gitignore gets no second line
    assert cli.main(["k8s", str(project)]) == 0
    assert (project / ".gitignore").read_text().count("secrets.env") == 1
    generated = app.check(str(project))
    assert all(p.state is State.CURRENT for p in generated.files)
    # init takes the Dockerfile over; from then on check covers it too
    assert cli.main(["init", str(project)]) == 0
    assert "**/secrets.env" in (project / ".dockerignore").read_text().splitlines()
    assert "manifests-only" not in (project / ".kubenative.toml").read_text()
    capsys.readouterr()
    assert cli.main(["check", str(project)]) == 0
    assert "Dockerfile" in capsys.readouterr().out


OWN_DOCKERFILE = """FROM elixir:1.7.3-alpine AS builder
WORKDIR /build
COPY . .
RUN mix release --env=prod

FROM alpine:3.8
RUN addgroup -g 1000 app && adduser -u 1000 -G app -D app
COPY --from=builder /build/_build/prod/rel/kube_native /opt/kube_native
USER 1001
ENTRYPOINT ["/opt/kube_native/bin/kube_native"]
CMD ["foreground"]
"""


def test_k8s_works_beside_the_projects_own_dockerfile_and_says_what_it_assumes(
    copy_project: Callable[[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(GOLDEN / "seed_umbrella_distillery" / "project")
    (project / "Dockerfile").write_text(OWN_DOCKERFILE)
    (project / ".dockerignore").write_text("_build\ndeps\n")
    assert cli.main(["k8s", str(project)]) == 0
    err = capsys.readouterr().err
    assert (project / "Dockerfile").read_text() == OWN_DOCKERFILE  # never touched
    assert (project / ".dockerignore").read_text() == "_build\ndeps\n"
    assert "its last stage never names /app" in err
    assert "runs the release as uid 1001, the pods as uid 1000" in err
    assert "add `**/secrets.env` to .dockerignore" in err
    assert cli.main(["check", str(project)]) == 0


def test_k8s_leaves_kubenatives_own_dockerfile_to_init(
    copy_project: Callable[[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(GOLDEN / "plain_otp" / "project")
    assert cli.main(["init", str(project)]) == 0
    dockerfile = project / "Dockerfile"
    stale = dockerfile.read_text().replace("AS deps", "AS deps\n")
    dockerfile.write_text(stale)  # a hand edit kubenative would refuse to overwrite
    assert cli.main(["k8s", str(project)]) == 0
    assert dockerfile.read_text() == stale
    assert "manifests-only" not in (project / ".kubenative.toml").read_text()
    capsys.readouterr()
    assert cli.main(["check", str(project)]) == 1  # init's file is still checked
    assert "Dockerfile: edited by hand" in capsys.readouterr().err


def test_dry_run_prints_only_the_manifests_and_writes_nothing(
    copy_project: Callable[[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(GOLDEN / "plain_otp" / "project")
    assert cli.main(["k8s", str(project), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "==> k8s/deployment.yaml <==" in out and "==> Dockerfile <==" not in out
    assert not (project / "k8s").exists()


@pytest.mark.parametrize(
    ("ref", "parts"),
    [
        ("app", ("app", None, None)),
        ("reg.example:5000/team/app:v1.2", ("reg.example:5000/team/app", "v1.2", None)),
        ("reg.example:5000/team/app", ("reg.example:5000/team/app", None, None)),
        ("app@sha256:" + "a" * 64, ("app", None, "sha256:" + "a" * 64)),
        ("app:1@sha256:" + "b" * 64, ("app", "1", "sha256:" + "b" * 64)),
    ],
)
def test_image_references_split_for_kustomize(
    ref: str, parts: tuple[str, str | None, str | None]
) -> None:
    assert split_image(ref) == parts


def test_the_bundled_example_ships_valid_manifests(tmp_path: Path) -> None:
    base = tmp_path / "k8s"
    shutil.copytree(EXAMPLE / "k8s", base)
    assert not (base / "secrets.env.example").exists()  # it reads no secret
    out = subprocess.run(
        [KUBECTL, "kustomize", str(base)], capture_output=True, text=True, check=True
    ).stdout
    docs = [doc for doc in yaml.safe_load_all(out) if doc]
    assert sorted(d["kind"] for d in docs) == [
        "ConfigMap",
        "Deployment",
        "PodDisruptionBudget",
        "Service",
    ]
    for version in VERSIONS:
        for doc in docs:
            _validate(doc, version)


WRITER = """defmodule Hello.Files do
  @cache "cache/pages"

  def boot do
    File.mkdir_p!(Path.join(File.cwd!(), "uploads"))
    File.write!("/app/tmp/firmware/x.bin", "")
    File.write!(Path.join(@cache, "index.html"), "")
    {:ok, io} = File.open("/tmp/scratch", [:write])
    File.write!("releases/extra.txt", "")
    File.cp!("x", Application.app_dir(:hello, "priv/y"))
    io
  end

  def save(path, data), do: File.write!(path, data)
  def load, do: File.open("uploads/a", [:read])
  def keep(upload), do: File.cp(upload.path, Path.absname("media/#{upload.filename}"))
end
"""


def _with_module(tmp_path: Path, name: str, source: str) -> app.Generated:
    """phoenix_release_env with one more module under lib/hello/, generated."""
    scenario = GOLDEN / "phoenix_release_env"
    project = tmp_path / "project"
    shutil.copytree(scenario / "project", project)
    (project / "lib" / "hello" / name).write_text(source)
    return app.generate(str(project), _overrides(scenario))


def test_writes_at_boot_get_an_empty_dir_or_one_warning(tmp_path: Path) -> None:
    generated = _with_module(tmp_path, "files.ex", WRITER)
    files = {p.path: p.text for p in generated.files if p.path.startswith("k8s/")}
    for name in ("deployment.yaml", "migrate-job.yaml"):
        doc = yaml.safe_load(files[f"k8s/{name}"])
        _validate(doc, VERSIONS[1])
        mounts = {m["mountPath"] for m in _container(doc)["volumeMounts"]} - {"/etc/release"}
        assert mounts == {"/tmp", "/app/uploads", "/app/tmp", "/app/cache", "/app/media"}, name
    [warning] = [w for w in generated.warnings if "root file system is read-only" in w]
    assert "lib/hello/files.ex:9 " in warning  # releases/: the release's own folder
    assert "lib/hello/files.ex:10 " in warning  # Application.app_dir: not a fixed path
    assert "lib/hello/files.ex:14 " in warning  # a parameter
    assert "files.ex:8 " not in warning and "files.ex:15 " not in warning  # /tmp, a read


FIREWALL = """defmodule Hello.Firewall do
  def setup do
    System.cmd("nft", ["add", "table", "inet", "hello"])
    System.cmd("wg", ["set", "wg0", "listen-port", "51820"])
    System.cmd("ffmpeg", ["-version"])
  end
end
"""


def test_a_program_that_needs_a_capability_is_one_warning_never_a_grant(tmp_path: Path) -> None:
    generated = _with_module(tmp_path, "firewall.ex", FIREWALL)
    [warning] = [w for w in generated.warnings if "Linux capability" in w]
    assert "nft (lib/hello/firewall.ex:3), wg (lib/hello/firewall.ex:4) need NET_ADMIN" in warning
    assert "capabilities: {drop: [ALL], add: [NET_ADMIN]}" in warning
    assert "ffmpeg" not in warning
    for path in ("k8s/deployment.yaml", "k8s/migrate-job.yaml"):
        text = next(p.text for p in generated.files if p.path == path)
        security = _container(yaml.safe_load(text))["securityContext"]
        assert security["capabilities"] == {"drop": ["ALL"]}, path


def test_real_project_shapes_two_endpoints_hostname_localhost_procfile(tmp_path: Path) -> None:
    scenario = GOLDEN / "k8s_two_endpoints"
    generated = app.generate(str(scenario / "project"), _overrides(scenario))
    docs = _docs("k8s_two_endpoints")
    container = _container(docs["deployment.yaml"])
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": 4000, "https": 4443, "internal-http": 9090}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": "internal-http"}
    service = {
        p["name"]: (p["port"], p["targetPort"]) for p in docs["service.yaml"]["spec"]["ports"]
    }
    assert service == {
        "http": (80, "http"),
        "https": (4443, "https"),
        "internal-http": (9090, "internal-http"),
    }
    configmap = _manifests("k8s_two_endpoints")["k8s/configmap.yaml"]
    data = docs["configmap.yaml"]["data"]
    # The public host goes where the endpoint's url host is read: HOSTNAME, said out loud.
    assert data["HOSTNAME"] == "shop.example.com" and "PHX_HOST" not in data
    assert "# HOSTNAME: the public host (--host): config/runtime.exs:18 reads" in configmap
    assert any("sets HOSTNAME=shop.example.com" in w for w in generated.warnings)
    # Each port variable the config reads is set to its port; localhost is left to the user.
    assert data["PORT"] == "4000" and data["INTERNAL_PORT"] == "9090"
    assert "DATABASE_HOST" not in data
    assert "DATABASE_HOST (optional, config/runtime.exs:10; the config's default localhost" in (
        configmap
    )
    # fetch_env! under `if bucket = System.get_env(...)`: optional, so no "pods stop" warning.
    aws = next(v for v in generated.project.env if v.name == "AWS_REGION")
    assert not aws.required
    assert not any("AWS_REGION" in w and "stop at boot" in w for w in generated.warnings)
    job = _container(docs["migrate-job.yaml"])
    assert job["command"] == ["/app/bin/shop", "eval", "Shop.Release.migrate()"]


def test_the_migration_job_runs_the_projects_own_overlay_script(tmp_path: Path) -> None:
    scenario = GOLDEN / "phoenix_release_env"
    project = tmp_path / "project"
    shutil.copytree(scenario / "project", project)
    script = project / "rel" / "overlays" / "bin" / "migrate"
    script.parent.mkdir(parents=True)
    script.write_text(
        '#!/bin/sh\ncd -P -- "$(dirname -- "$0")"\nexec ./hello eval Hello.Release.migrate\n'
    )
    generated = app.generate(str(project), _overrides(scenario))
    job = next(p.text for p in generated.files if p.path == "k8s/migrate-job.yaml")
    assert _container(yaml.safe_load(job))["command"] == ["/app/bin/migrate"]
    assert "rel/overlays/bin/migrate" in job


def test_the_url_host_is_the_first_endpoints_and_other_url_hosts_are_not_peers(
    tmp_path: Path,
) -> None:
    scenario = GOLDEN / "k8s_two_endpoints"
    project = tmp_path / "project"
    shutil.copytree(scenario / "project", project)
    runtime = project / "config" / "runtime.exs"
    runtime.write_text(
        runtime.read_text().replace(
            '    http: [ip: {0, 0, 0, 0}, port: String.to_integer(System.get_env("INTERNAL_PORT")',
            '    url: [host: System.get_env("INTERNAL_HOST", "localhost")],\n'
            '    http: [ip: {0, 0, 0, 0}, port: String.to_integer(System.get_env("INTERNAL_PORT")',
        )
    )
    generated = app.generate(str(project), _overrides(scenario))
    assert generated.project.url_host is not None
    assert generated.project.url_host.env == "HOSTNAME"  # the public endpoint's, not the last
    assert set(generated.project.url_host_vars) == {"HOSTNAME", "INTERNAL_HOST"}
    configmap = next(p.text for p in generated.files if p.path == "k8s/configmap.yaml")
    assert "INTERNAL_HOST: localhost" in configmap  # a name in URLs, kept
    assert "DATABASE_HOST: " not in configmap  # a peer to reach, left to the user


def test_writes_in_mix_tasks_need_no_volume(tmp_path: Path) -> None:
    scenario = GOLDEN / "phoenix_release_env"
    project = tmp_path / "project"
    shutil.copytree(scenario / "project", project)
    task = project / "lib" / "mix" / "tasks" / "export.ex"
    task.parent.mkdir(parents=True)
    task.write_text(
        "defmodule Mix.Tasks.Export do\n  use Mix.Task\n"
        '  def run(_), do: File.write!("exports/all.csv", "")\nend\n'
    )
    generated = app.generate(str(project), _overrides(scenario))
    # inspect leaves a Mix task's writes out of what the release writes at boot
    assert not any(w.where.startswith("lib/mix/tasks/") for w in generated.project.boot_writes)
    deployment = next(p.text for p in generated.files if p.path == "k8s/deployment.yaml")
    assert "/app/exports" not in deployment  # a release has no Mix to run the task
    assert not any("exports/all.csv" in w for w in generated.warnings)


def test_k8s_names_a_problem_that_stops_init_and_writes_the_manifests(
    copy_project: Callable[[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(GOLDEN / "deep_nesting" / "project")
    assert cli.main(["init", str(project)]) == 1
    capsys.readouterr()
    assert cli.main(["k8s", str(project)]) == 0
    err = capsys.readouterr().err
    assert "terms nested more than 200 levels deep" in err
    assert "kubenative's Dockerfile would not build" in err
    assert (project / "k8s" / "deployment.yaml").is_file() and not (project / "Dockerfile").exists()
