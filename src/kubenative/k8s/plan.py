"""Project + Options + the image Plan → the Kubernetes decisions. Pure: no I/O.

Everything the manifests say about the container (port, uid, release, start command) comes
from the same :class:`kubenative.plan.Plan` that writes the Dockerfile, so they cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubenative.k8s.cluster import ClusterPlan, make_cluster_plan
from kubenative.options import Options
from kubenative.plan import APP_DIR, Plan
from kubenative.project.commands import CAPABILITIES
from kubenative.project.model import EnvVar, Project

TMP_DIR = "/tmp"
# The kubelet sets HOSTNAME (the pod's name); POD_IP comes from the downward API.
PROVIDED = frozenset({"HOSTNAME", "POD_IP"})
# The Job's unique name: this annotation's value (the release's version) is its last part.
VERSION_ANNOTATION = "app.kubernetes.io/version"


@dataclass(frozen=True)
class Probes:
    kind: str  # "http", "tcp" or "none" (a release that serves nothing)
    path: str | None = None


@dataclass(frozen=True)
class KubePlan:
    name: str  # the DNS-1123 name of the app (from the release name)
    part_of: str  # the project
    namespace: str | None
    image_name: str  # the placeholder the manifests use; kustomize's images: maps it
    image_repo: str
    image_tag: str | None
    image_digest: str | None
    version: str  # the Job's name suffix; CI sets it with `kustomize edit set annotation`
    replicas: int
    port: int
    user_id: int
    probes: Probes
    env: tuple[tuple[str, str], ...]  # set in the pod spec itself (order matters: $(POD_IP))
    config: tuple[tuple[str, str], ...]  # ConfigMap data, in the order the config reads them
    unset: tuple[EnvVar, ...]  # read at boot, no value known here (listed in a comment)
    secrets: tuple[EnvVar, ...]  # the Secret's keys (secrets.env)
    migrate: tuple[str, ...] | None  # the Job's command, None: no Job
    migrate_how: str  # how the command was chosen, for the file's comment
    writable: tuple[tuple[str, str], ...]  # (volume name, mount path): emptyDirs
    grace_seconds: int
    warnings: tuple[str, ...]
    cluster: ClusterPlan | None = None  # `--cluster dns|kubernetes`; None: no clustering

    @property
    def service(self) -> bool:
        return self.probes.kind != "none"

    @property
    def pdb(self) -> bool:
        return self.replicas > 1


def dns_name(name: str) -> str:
    """An Elixir name as a DNS-1123 label: ``kube_native`` → ``kube-native``."""
    label = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    return label[:40].rstrip("-") or "app"


def split_image(ref: str) -> tuple[str, str | None, str | None]:
    """``reg:5000/app:tag@sha256:...`` → (``reg:5000/app``, ``tag``, ``sha256:...``)."""
    repo, _, digest = ref.partition("@")
    slash = repo.rfind("/")
    colon = repo.rfind(":")
    tag = None
    if colon > slash:
        repo, tag = repo[:colon], repo[colon + 1 :]
    return repo, tag, digest or None


def make_k8s_plan(project: Project, plan: Plan, options: Options) -> KubePlan:
    warnings: list[str] = []
    name = dns_name(plan.release)
    repo, tag, digest = split_image(options.image) if options.image else (name, None, None)
    version = re.sub(r"[^a-z0-9.-]+", "-", tag.lower()).strip("-.") if tag else ""
    version = version or "initial"
    probes = _probes(project, options, plan.port, warnings)
    cluster = make_cluster_plan(project, plan, options, name, warnings)
    config, unset = _config(project, options, plan, warnings, cluster)
    secrets = tuple(var for var in project.env if var.secret and var.name not in PROVIDED)
    if cluster is not None:
        secrets += cluster.secrets
    migrate, how = _migrate(project, plan)
    writable = _writable(project, warnings)
    _capabilities(project, plan, warnings)
    return KubePlan(
        name=name,
        part_of=dns_name(project.name),
        namespace=options.namespace,
        image_name=name,
        image_repo=repo,
        image_tag=tag if tag or digest else "latest",
        image_digest=digest,
        version=version,
        replicas=options.replicas,
        port=plan.port,
        user_id=plan.user_id,
        probes=probes,
        env=_pod_env(plan, cluster),
        config=config,
        unset=unset,
        secrets=secrets,
        migrate=migrate,
        migrate_how=how,
        writable=tuple(writable),
        grace_seconds=60,
        warnings=tuple(warnings),
        cluster=cluster,
    )


def _probes(project: Project, options: Options, port: int, warnings: list[str]) -> Probes:
    """HTTP on a health route (found in a router, or --health-path); without one a TCP probe
    and a warning naming the route to add. Never an exec of `bin/app rpc`: each would boot a
    second BEAM. A release that serves no HTTP gets no probes: its process is the VM, which
    exits when the application stops (start_permanent), and the kubelet restarts it."""
    path = options.health_path or project.health_path
    if path:
        return Probes("http", path)
    if not project.http_server:
        return Probes("none")
    warnings.append(
        f"no health route found: the probes only check that port {port} accepts connections; "
        'add one to your router, e.g. `get "/health", HealthController, :show` (or a Plug '
        "answering 200), then re-run with --health-path /health"
    )
    return Probes("tcp")


def _writable(project: Project, warnings: list[str]) -> list[tuple[str, str]]:
    """The emptyDirs: /tmp, and each top folder under the release that a function body writes
    in (``File.write!("tmp/x")``, ``File.mkdir_p!("/app/uploads")``: the release's working
    directory is /app). The root file system is read-only, so such a write fails with :erofs
    without one. A folder the image itself fills (the release's own bin/lib/releases/erts, or
    files copied for boot reads) would be hidden by a volume, and a write whose path is not
    known statically cannot be mounted: those are one warning naming each file:line."""
    writable = [("tmp", TMP_DIR)]
    filled = {_top(path) for path in project.boot_reads} | {"bin", "lib", "releases"}
    unsure: list[str] = []
    for write in project.boot_writes:
        folder = write.folder
        if folder is not None and folder.startswith(f"{APP_DIR}/"):
            folder = folder[len(APP_DIR) + 1 :]
        if folder is not None and (folder == TMP_DIR or folder.startswith(f"{TMP_DIR}/")):
            continue
        top = _top(folder) if folder and not folder.startswith("/") else None
        if top is None or top == "." or top in filled or top.startswith("erts-"):
            unsure.append(f"{write.where} (`{write.source}`)")
            continue
        mount = (f"app-{dns_name(top)}", f"{APP_DIR}/{top}")
        if mount not in writable:
            writable.append(mount)
    if unsure:
        shown = ", ".join(unsure[:5]) + (f" and {len(unsure) - 5} more" if len(unsure) > 5 else "")
        warnings.append(
            f"the container's root file system is read-only, and these writes at boot go where "
            f"kubenative cannot give a writable volume: {shown}; write under /tmp "
            "(System.tmp_dir!/0) or a literal folder under the release (it then gets an "
            "emptyDir), or add an emptyDir volume at that path to deployment.yaml"
        )
    return writable


def _capabilities(project: Project, plan: Plan, warnings: list[str]) -> None:
    """Programs that need a Linux capability (commands.CAPABILITIES: firezone runs `nft` and
    `wg`, which need NET_ADMIN). The container drops them all, and granting one widens what a
    compromised pod can do, so it is the user's call: one warning with the lines to add."""
    needs: dict[str, list[str]] = {}
    for command in project.commands:
        if command.name in CAPABILITIES:
            needs.setdefault(CAPABILITIES[command.name], []).append(
                f"{command.name} ({command.where})"
            )
    if not needs:
        return
    names = sorted(needs)
    setcap = ",".join(f"cap_{c.lower()}" for c in names)
    programs = "; ".join(f"{', '.join(needs[c])} need {c}" for c in names)
    warnings.append(
        f"the container drops every Linux capability, and the release runs programs that need "
        f"one: {programs}. If the release must run them, add to the container's securityContext "
        f"in deployment.yaml: `capabilities: {{drop: [ALL], add: [{', '.join(names)}]}}`; it "
        f"runs as uid {plan.user_id}, so the programs get the capability only as a file "
        f"capability in the image (`setcap {setcap}+ep` on each binary, and "
        "`allowPrivilegeEscalation: true`, since no_new_privs ignores file capabilities) or "
        "with `runAsUser: 0` and `runAsNonRoot: false`"
    )


def _top(path: str) -> str:
    return path.strip("/").split("/", 1)[0] or "."


def _pod_env(plan: Plan, cluster: ClusterPlan | None) -> tuple[tuple[str, str], ...]:
    """Variables set in the pod spec: the downward API's first (POD_IP, and POD_NAME or
    POD_NAMESPACE when the cluster needs them), so later values can use $(POD_IP)."""
    env = [("POD_IP", "")]  # the renderer writes a fieldRef for these
    env += [(name, "") for name, _ in cluster.fields] if cluster else []
    # The root is read-only: a crash dump goes to the emptyDir (kept across container restarts).
    env.append(("ERL_CRASH_DUMP", f"{TMP_DIR}/erl_crash.dump"))
    if plan.release_tool == "distillery":
        # Distillery writes the vm.args/sys.config it renders at boot under the mutable dir,
        # and fills their ${VAR} placeholders only with REPLACE_OS_VARS (whatever the
        # Dockerfile says).
        env.append(("RELEASE_MUTABLE_DIR", f"{TMP_DIR}/release"))
        env.append(("REPLACE_OS_VARS", "true"))
    else:
        # mix releases write the runtime config they generate at boot to RELEASE_TMP.
        env.append(("RELEASE_TMP", TMP_DIR))
        if cluster is None:
            env.append(("RELEASE_DISTRIBUTION", "name"))
            env.append(("RELEASE_NODE", f"{plan.release}@$(POD_IP)"))
    if cluster is not None:
        env += [(name, value) for name, value in cluster.env if name != "REPLACE_OS_VARS"]
    return tuple(env)


def field_path(name: str, cluster: ClusterPlan | None) -> str | None:
    """The downward API field of a pod variable (POD_IP, the cluster's POD_NAME...)."""
    if name == "POD_IP":
        return "status.podIP"
    return dict(cluster.fields).get(name) if cluster else None


def _config(
    project: Project,
    options: Options,
    plan: Plan,
    warnings: list[str],
    cluster: ClusterPlan | None,
) -> tuple[tuple[tuple[str, str], ...], tuple[EnvVar, ...]]:
    port_env = project.port_env or "PORT"
    known = {port_env: str(plan.port), "RELEASE_NAME": plan.release}
    clustered = dict(cluster.config) if cluster else {}
    known.update(clustered)
    # Set in the pod spec itself (the downward API, the node's name): not ConfigMap entries.
    in_pod = {n for n, _ in (*cluster.fields, *cluster.env)} if cluster else set()
    for endpoint in project.endpoints:  # `server: true` only when these are set
        if endpoint.server == "env":
            known.update((name, "true") for name in endpoint.server_env)
    if options.host:
        known["PHX_HOST"] = options.host
    elif any(var.name == "PHX_HOST" for var in project.env):
        warnings.append(
            "PHX_HOST is read at boot and no --host was given: the ConfigMap holds the config's "
            "default; pass --host with the public host name (URLs, origin checks use it)"
        )
    data: dict[str, str] = {port_env: known[port_env]} if project.http_server else {}
    unset: list[EnvVar] = []
    missing: list[str] = []
    for var in project.env:
        if var.secret or var.name in PROVIDED or var.name in in_pod:
            continue
        value = known.get(var.name, var.default)
        if value is None:
            unset.append(var)
            if var.required:
                missing.append(f"{var.name} ({var.source})")
            continue
        data[var.name] = value
    if missing:
        warnings.append(
            f"required at boot and without a value here: {', '.join(missing)}; add them to "
            f"{options.k8s_dir}/configmap.yaml, or the pods stop at boot"
        )
    for name, value in clustered.items():  # the strategy's settings, read or to be read
        data.setdefault(name, value)
    return tuple(data.items()), tuple(unset)


def _migrate(project: Project, plan: Plan) -> tuple[tuple[str, ...] | None, str]:
    binary = f"{APP_DIR}/bin/{plan.release}"
    if plan.release_tool == "distillery" and "migrate" in project.release_commands:
        # Distillery 2's documented way: a custom command the release script knows.
        return (binary, "migrate"), "the release's own `migrate` command (rel/config.exs)"
    if project.release_module:
        return (
            (binary, "eval", f"{project.release_module}.migrate()"),
            f"the project's own {project.release_module}.migrate/0",
        )
    if not project.ecto_repos:
        return None, ""
    app = project.ecto_app or plan.release
    script = (
        f"Application.load(:{app}); Application.ensure_all_started(:ssl); "
        f"for repo <- Application.fetch_env!(:{app}, :ecto_repos), "
        "do: {:ok, _, _} = Ecto.Migrator.with_repo(repo, &Ecto.Migrator.run(&1, :up, all: true))"
    )
    return (binary, "eval", script), "Ecto.Migrator over the :ecto_repos of :" + app
