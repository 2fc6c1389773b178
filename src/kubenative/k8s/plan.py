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
from kubenative.project.endpoints import Port
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
    port: str = "http"  # the container port's name
    scheme: str = "HTTP"  # "HTTPS" on an https listener


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
    ports: tuple[Port, ...]  # every HTTP(S) port, each a named container port
    env: tuple[tuple[str, str], ...]  # set in the pod spec itself (order matters: $(POD_IP))
    config: tuple[tuple[str, str], ...]  # ConfigMap data, in the order the config reads them
    unset: tuple[EnvVar, ...]  # read at boot, no value known here (listed in a comment)
    notes: tuple[tuple[str, str], ...]  # (variable, why it has, or lacks, a value here)
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
    probes = _probes(project, options, plan, warnings)
    cluster = make_cluster_plan(project, plan, options, name, warnings)
    config = _config(project, options, plan, warnings, cluster)
    replaced = cluster.replaced if cluster else ()
    secrets = tuple(
        var
        for var in project.env
        if var.secret and var.name not in PROVIDED and _file(var.source) not in replaced
    )
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
        ports=plan.ports,
        env=_pod_env(plan, cluster),
        config=config.data,
        unset=config.unset,
        notes=config.notes,
        secrets=secrets,
        migrate=migrate,
        migrate_how=how,
        writable=tuple(writable),
        grace_seconds=60,
        warnings=tuple(warnings),
        cluster=cluster,
    )


def _probes(project: Project, options: Options, plan: Plan, warnings: list[str]) -> Probes:
    """HTTP on a health route (found in a router, or --health-path) on the port of the
    endpoint that serves it (a health check may live on an internal endpoint of its own);
    without one a TCP probe and a warning naming the route to add. Never an exec of
    `bin/app rpc`: each would boot a second BEAM. A release that serves no HTTP gets no
    probes: its process is the VM, which exits when the application stops (start_permanent),
    and the kubelet restarts it."""
    if not project.http_server or not plan.ports:
        return Probes("none")
    port = plan.ports[0]
    path = options.health_path or project.health_path
    if path is not None and path == project.health_path and project.health_endpoint:
        own = [p for p in plan.ports if p.endpoint == project.health_endpoint]
        port = next((p for p in own if p.scheme == "http"), own[0] if own else port)
    scheme = "HTTPS" if port.scheme == "https" else "HTTP"
    if path:
        return Probes("http", path, port.name, scheme)
    warnings.append(
        f"no health route found: the probes only check that port {port.port} accepts "
        'connections; add one to your router, e.g. `get "/health", HealthController, :show` '
        "(or a Plug answering 200), then re-run with --health-path /health"
    )
    return Probes("tcp", None, port.name, scheme)


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


# A default that names the machine itself: in a pod that is the pod, not the database's host.
_LOCAL = re.compile(r"(^|[/@:\[])(localhost|127\.0\.0\.1|::1)(\]|[:/]|$)")


@dataclass(frozen=True)
class _Config:
    data: tuple[tuple[str, str], ...]
    unset: tuple[EnvVar, ...]
    notes: tuple[tuple[str, str], ...]  # (variable, why it has, or lacks, a value here)


def _config(
    project: Project,
    options: Options,
    plan: Plan,
    warnings: list[str],
    cluster: ClusterPlan | None,
) -> _Config:
    port_env = project.port_env or "PORT"
    known = {port_env: str(plan.port), "RELEASE_NAME": plan.release}
    # Each port config reads from a variable, to the number the image listens on.
    known.update((p.env, str(p.port)) for p in plan.ports if p.env and p.port is not None)
    clustered = dict(cluster.config) if cluster else {}
    known.update(clustered)
    # Set in the pod spec itself (the downward API, the node's name): not ConfigMap entries.
    in_pod = {n for n, _ in (*cluster.fields, *cluster.env)} if cluster else set()
    for endpoint in project.endpoints:  # `server: true` only when these are set
        if endpoint.server == "env":
            known.update((name, "true") for name in endpoint.server_env)
    notes: dict[str, str] = {}
    _host(project, options, known, notes, warnings)
    data: dict[str, str] = {}
    for item in plan.ports:
        if item.env:
            data.setdefault(item.env, known[item.env])
    if "HOSTNAME" in known:
        data["HOSTNAME"] = known["HOSTNAME"]
    unset: list[EnvVar] = []
    missing: list[str] = []
    local: list[str] = []
    for var in project.env:
        if var.secret or var.name in PROVIDED or var.name in in_pod:
            continue
        if cluster is not None and _file(var.source) in cluster.replaced:
            continue  # read by the project's vm.args, which the pods no longer use
        value = known.get(var.name, var.default)
        url_host = var.name in project.url_host_vars  # a name in URLs, not a peer to reach
        if var.name not in known and value is not None and not url_host and _LOCAL.search(value):
            # Copied into the ConfigMap it would look like a decision; it is the config's
            # development default, which names the pod itself in Kubernetes.
            notes[var.name] = f"the config's default {value} is the pod itself here"
            local.append(f"{var.name} ({var.source}, default {value})")
            value = None
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
    if local:
        warnings.append(
            f"read at boot with a default that names the machine itself: {', '.join(local)}; "
            f"in a pod that is the pod, not the service: set them in "
            f"{options.k8s_dir}/configmap.yaml (left out, with this reason in its comment)"
        )
    for name, value in clustered.items():  # the strategy's settings, read or to be read
        data.setdefault(name, value)
    return _Config(tuple(data.items()), tuple(unset), tuple(notes.items()))


def _host(
    project: Project,
    options: Options,
    known: dict[str, str],
    notes: dict[str, str],
    warnings: list[str],
) -> None:
    """The public host goes into the variable the endpoints' ``url: [host: ...]`` reads
    (PHX_HOST in current Phoenix, HOSTNAME in the article's app, any name elsewhere)."""
    host = project.url_host
    var = host.env if host is not None and host.env else None
    if var is None and any(v.name == "PHX_HOST" for v in project.env):
        var = "PHX_HOST"
    where = host.where if host is not None else "config"
    if options.host:
        if var is None:
            how = "no endpoint reads its URL host from a variable"
            if host is not None and host.value is not None:
                how = f"{where} fixes the endpoint's URL host to {host.value!r}"
            elif host is not None:
                how = f"kubenative cannot follow the endpoint's URL host `{host.expr}` ({where})"
            warnings.append(
                f"--host {options.host} reaches nothing: {how}; read it in config/runtime.exs, "
                'e.g. `url: [host: System.get_env("PHX_HOST"), port: 443, scheme: "https"]`'
            )
            return
        known[var] = options.host
        if var == "HOSTNAME":
            notes[var] = (
                f"the public host (--host): {where} reads the URL host from HOSTNAME, which "
                "the container runtime sets to the pod's name; this value replaces it"
            )
            warnings.append(
                f"{where} reads the endpoint's URL host from HOSTNAME, which the container "
                f"runtime sets to the pod's name: the ConfigMap sets HOSTNAME={options.host} "
                "(as the article's did), so anything in the pod that reads HOSTNAME for the "
                "pod's name sees the public host; reading it from PHX_HOST avoids that"
            )
        return
    if var == "HOSTNAME":
        warnings.append(
            f"{where} reads the endpoint's URL host from HOSTNAME, which the container runtime "
            "sets to the pod's name, so the URLs the app builds name the pod; pass --host with "
            "the public host name (the ConfigMap then sets HOSTNAME)"
        )
    elif var is not None:
        warnings.append(
            f"{var} is read at boot ({where}) for the URL host and no --host was given: the "
            "ConfigMap holds the config's default; pass --host with the public host name "
            "(URLs, origin checks use it)"
        )


def _file(source: str) -> str:
    """``rel/vm.args`` of ``rel/vm.args:6``."""
    return source.rpartition(":")[0] or source


def _migrate(project: Project, plan: Plan) -> tuple[tuple[str, ...] | None, str]:
    binary = f"{APP_DIR}/bin/{plan.release}"
    if plan.release_tool == "distillery" and "migrate" in project.release_commands:
        # Distillery 2's documented way: a custom command the release script knows.
        return (binary, "migrate"), "the release's own `migrate` command (rel/config.exs)"
    if project.migrate_script:
        # Mix copies rel/overlays into the release: the project's own script (phx.gen.release).
        script = f"{APP_DIR}/bin/{project.migrate_script}"
        return (script,), f"the project's own rel/overlays/bin/{project.migrate_script}"
    if project.migrate_eval:
        expression, where = project.migrate_eval
        return (binary, "eval", expression), f"the eval of its Procfile's release process ({where})"
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
