"""`--cluster dns|kubernetes|none`: how the pods of a release find each other and connect.
Pure decisions (no I/O) from the project's clustering facts (project/clustering.py) and its
release templates (project/distribution.py).

Why each piece is there:

- **Node names from the pod IP.** dns_cluster, libcluster's Kubernetes.DNS, DNSPoll and
  Kubernetes (``mode: :ip``) connect to ``<basename>@<ip>`` for each address they find, so every
  pod must be named exactly that: ``RELEASE_NODE=<basename>@$(POD_IP)`` with
  ``RELEASE_DISTRIBUTION=name`` (mix releases), or ``-name <basename>@${POD_IP}`` in a vm.args
  that Distillery fills at boot (``REPLACE_OS_VARS=true``). DNSSRV connects to the pods' host
  names instead, which a headless Service gives pods whose ``subdomain`` names it.
- **A headless Service** (``clusterIP: None``) whose DNS name answers with one A record per pod;
  ``publishNotReadyAddresses`` lists pods before they are ready, so nodes connect while they
  boot (readiness may itself wait for the cluster).
- **The cookie from the Secret** (``RELEASE_COOKIE``, which the release script prefers to the
  one baked at ``releases/COOKIE``): anyone who can pull the image knows the baked one.
- **A fixed distribution port**, so that a NetworkPolicy can name it: by default the VM listens
  on a random port that EPMD (4369) hands out. OTP 23.1 and later can skip EPMD
  (``-start_epmd false -erl_epmd_port N``: the node listens on N and expects its peers on N);
  a mix release's ``rpc``/``remote`` then need ``-dist_listen false`` too, which Elixir 1.12+
  reads from ``remote.vm.args`` (``RELEASE_REMOTE_VM_ARGS``). Older pairs, and Distillery
  (whose remote commands read no vm.args), keep EPMD and pin the node's own port with
  ``-kernel inet_dist_listen_min N inet_dist_listen_max N``. Those flags must reach the VM
  that starts and not the short-lived ``rpc`` node (it would try to listen on the same port):
  the release's own start-only inputs carry them, a vm.args file mounted from a ConfigMap
  (``RELEASE_VM_ARGS``) or Distillery's ``ERL_OPTS``. ``ERL_DIST_PORT`` is not read by OTP
  (it is relx's, rebar3's release script), so it does nothing for these releases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kubenative.catalog.versions import parse_version
from kubenative.k8s import snippets
from kubenative.options import Options
from kubenative.plan import Plan
from kubenative.project.clustering import (
    DNS_CLUSTER,
    GOSSIP,
    K8S_API,
    K8S_DNS,
    K8S_DNSSRV,
    NEEDS,
    Clustering,
    Setting,
)
from kubenative.project.distribution import VmArgs
from kubenative.project.model import EnvVar, Project
from kubenative.project.prod_walk import PLACEHOLDER

DIST_PORT = 4370  # the usual choice: the one above EPMD's
EPMD_PORT = 4369
VM_ARGS_DIR = "/etc/release"  # where the ConfigMap of vm.args files is mounted
_BASENAME_KEYS = ("application_name", "node_basename", "kubernetes_node_basename")
_QUERY_KEYS = ("query", "service")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_NODE_BASENAME = re.compile(r"^[A-Za-z0-9_-]+$")
_SELECTOR = re.compile(r"^\s*([A-Za-z0-9./_-]+)\s*=\s*([A-Za-z0-9._-]*)\s*$")


@dataclass(frozen=True)
class ClusterPlan:
    mode: str  # "dns" or "kubernetes"
    strategy: str  # the strategy the manifests are written for
    service: str  # the headless Service
    service_labels: tuple[tuple[str, str], ...]  # more labels on it (a literal selector)
    pod_labels: tuple[tuple[str, str], ...]  # more labels on the pods (a literal pod selector)
    basename: str  # the part of the node name before the @
    dist_port: int
    epmd: bool  # EPMD runs (its port is named too)
    env: tuple[tuple[str, str], ...]  # pod env, after POD_IP and the fields
    fields: tuple[tuple[str, str], ...]  # downward API variables: (name, fieldPath)
    config: tuple[tuple[str, str], ...]  # ConfigMap entries the strategy reads
    files: tuple[tuple[str, str], ...]  # vm.args files mounted at VM_ARGS_DIR
    subdomain: str | None  # DNSSRV: pods get host names under the headless Service
    rbac: bool  # a ServiceAccount that may read endpoints (libcluster's Kubernetes strategy)
    rbac_pods: bool  # ... and pods (kubernetes_ip_lookup_mode: :pods)
    secrets: tuple[EnvVar, ...]  # the cookie, when the project's config does not read it
    snippet: str | None  # the Elixir to add, when the config does not read what is needed
    replaced: tuple[str, ...] = ()  # project files the pods no longer read (its own vm.args)


@dataclass
class _State:
    """The decisions as they are made, for one plan."""

    project: Project
    plan: Plan
    options: Options
    name: str
    warnings: list[str]
    strategy: str
    service: str  # the headless Service
    basename: str  # the node's name before the @
    problems: list[str] = field(default_factory=list)
    service_labels: dict[str, str] = field(default_factory=dict)
    pod_labels: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    config: dict[str, str] = field(default_factory=dict)

    @property
    def clustering(self) -> Clustering:
        return self.project.clustering

    @property
    def settings(self) -> dict[str, Setting]:
        c = self.clustering
        return {s.key: s for s in c.settings} if c.strategy == self.strategy else {}


def make_cluster_plan(
    project: Project, plan: Plan, options: Options, name: str, warnings: list[str]
) -> ClusterPlan | None:
    """The clustering of the manifests, None for ``none`` (with a warning when it matters)."""
    c = project.clustering
    mode = options.cluster or c.mode or "none"
    if mode == "none":
        _unclustered(project, options, c, warnings)
        return None
    strategy = c.strategy if c.strategy and c.mode == mode else _default_strategy(mode, c)
    if c.strategy and c.strategy != strategy:
        warnings.append(
            f"the project clusters with {c.strategy} ({c.source}), which `--cluster {mode}` "
            f"does not configure; the manifests are written for {strategy} (the lines to add "
            "follow)"
        )
    state = _State(
        project, plan, options, name, warnings, strategy, f"{name}-headless", plan.release
    )
    if strategy != c.strategy:
        state.problems.append(f"it does not use {strategy}")
    for key in NEEDS[strategy]:
        _adopt(state, key)
    if strategy == K8S_DNSSRV:  # the node's host name is made of these
        state.fields.update(POD_NAME="metadata.name", POD_NAMESPACE="metadata.namespace")
    _values(state)
    if strategy == K8S_API:
        mode_setting = state.settings.get("mode")
        if mode_setting is not None and mode_setting.expr in (":hostname", ":dns"):
            warnings.append(
                f"{mode_setting.where}: libcluster's Kubernetes strategy with `mode: "
                f"{mode_setting.expr}` names nodes by host names a Deployment's pods do not "
                "have; the manifests name them by pod IP (`mode: :ip`, the default)"
            )
    node_host = "$(POD_IP)"
    subdomain = None
    if strategy == K8S_DNSSRV:
        node_host = f"$(POD_NAME).{state.service}.$(POD_NAMESPACE).svc.cluster.local"
        subdomain = state.service
    distribution = _distribution(state, node_host)
    snippet = _snippet(state) if state.problems else None
    if snippet is not None:
        shown = "\n".join(f"    {line}" if line else "" for line in snippet.splitlines())
        warnings.append(
            f"`--cluster {mode}`: the project's config does not read what {strategy} needs "
            f"({'; '.join(state.problems)}). Add these lines (kubenative never edits your "
            "code; the manifests already set the variables they read):\n" + shown
        )
    return ClusterPlan(
        mode=mode,
        strategy=strategy,
        service=state.service,
        service_labels=tuple(state.service_labels.items()),
        pod_labels=tuple(state.pod_labels.items()),
        basename=state.basename,
        dist_port=distribution.port,
        epmd=distribution.epmd,
        env=tuple(state.env.items()),
        fields=tuple(state.fields.items()),
        config=tuple(state.config.items()),
        files=distribution.files,
        subdomain=subdomain,
        rbac=mode == "kubernetes",
        rbac_pods=mode == "kubernetes" and c.lookup_pods and strategy == c.strategy,
        secrets=distribution.secrets,
        snippet=snippet,
        replaced=distribution.replaced,
    )


def _default_strategy(mode: str, c: Clustering) -> str:
    if mode == "kubernetes":
        return K8S_API
    return K8S_DNS if c.library == "libcluster" else DNS_CLUSTER


def _unclustered(project: Project, options: Options, c: Clustering, warnings: list[str]) -> None:
    if c.strategy == GOSSIP:
        warnings.append(
            f"libcluster's Gossip strategy ({c.source}) finds nodes by UDP multicast, which most "
            "Kubernetes networks do not carry; `kubenative k8s --cluster dns` clusters the pods "
            "through a headless Service instead"
        )
    elif c.strategy and c.mode is None:
        warnings.append(
            f"the project clusters with {c.strategy} ({c.source}); `--cluster dns` would give "
            "the pods node names from their IPs, the cookie from the Secret, a fixed "
            "distribution port and the NetworkPolicy that opens it, and your strategy keeps "
            "finding the nodes"
        )
    if options.replicas < 2 or options.cluster == "none":
        return
    library = (
        f"{c.library} is a dependency, but kubenative found no {c.library} setup it can read; "
        if c.library and c.strategy is None
        else ""
    )
    pubsub = any(app.phoenix for app in project.apps)
    what = (
        "Phoenix.PubSub broadcasts (LiveView updates, Channels, Presence) reach only the users "
        "connected to the pod that sent them"
        if pubsub
        else "processes registered on one pod are not seen by the others"
    )
    warnings.append(
        f"{options.replicas} replicas without clustering: {library}each pod is a node of its "
        f"own, so {what}; `kubenative k8s --cluster dns` connects them (and prints the config "
        "to add), `--cluster none` says this is intended"
    )


def _adopt(state: _State, key: str) -> None:
    """Read what the project says for ``key``: a variable (fine: the manifests set it), a
    literal the manifests adapt to (a Service name, a basename, a selector), or a problem."""
    setting = state.settings.get(key)
    if setting is None:
        state.problems.append(f"{key} is not set")
        return
    if setting.env is not None:
        return
    if setting.value is None:
        expr = setting.expr or ""
        if expr.startswith("Application."):
            state.problems.append(f"{key} is `{expr}` ({setting.where}), which no config sets")
        else:
            state.problems.append(f"{key} is `{expr}` ({setting.where})")
        return
    value = setting.value
    if key in _BASENAME_KEYS:
        if _NODE_BASENAME.match(value):
            state.basename = value
        else:
            state.problems.append(f"{key} {value!r} is not a node basename ({setting.where})")
    elif key in _QUERY_KEYS or (key == "service" and state.strategy == K8S_DNSSRV):
        service, namespace = _service_of(value)
        if service is None:
            state.problems.append(
                f"{key} {value!r} ({setting.where}) is not a Service of the cluster"
            )
            return
        state.service = service
        _same_namespace(state, namespace, setting)
    elif key == "namespace":
        _same_namespace(state, value, setting)
    elif key == "kubernetes_selector":
        labels = _labels(value)
        if labels is None:
            state.problems.append(f"kubernetes_selector {value!r} is not `key=value,...`")
        elif state.clustering.lookup_pods:
            state.pod_labels.update(labels)
        else:
            state.service_labels.update(labels)


def _service_of(value: str) -> tuple[str | None, str | None]:
    """``app-headless`` or ``app-headless.shop.svc.cluster.local`` → (Service, namespace)."""
    labels = value.rstrip(".").split(".")
    if not _DNS_LABEL.match(labels[0]):
        return None, None
    if len(labels) == 1:
        return labels[0], None
    if len(labels) >= 3 and labels[2] == "svc" and _DNS_LABEL.match(labels[1]):
        return labels[0], labels[1]
    return None, None


def _same_namespace(state: _State, namespace: str | None, setting: Setting) -> None:
    wanted = state.options.namespace
    if namespace is None or namespace == wanted:
        return
    if wanted is None:
        state.warnings.append(
            f"{setting.where} names the namespace {namespace!r}: deploy into it "
            f"(`--namespace {namespace}`), or the nodes will not find each other"
        )
    else:
        state.problems.append(
            f"{setting.key} names the namespace {namespace!r} ({setting.where}), the manifests "
            f"deploy into {wanted!r}"
        )


def _labels(selector: str) -> dict[str, str] | None:
    labels: dict[str, str] = {}
    for part in selector.split(","):
        match = _SELECTOR.match(part)
        if match is None:
            return None
        labels[match.group(1)] = match.group(2)
    return labels


def _values(state: _State) -> None:
    """Set every variable the strategy's settings are (or, after the snippet, will be) read
    from, to what these manifests create."""
    namespace = state.options.namespace
    query = f"{state.service}.{namespace}.svc.cluster.local" if namespace else state.service
    for key in NEEDS[state.strategy]:
        setting = state.settings.get(key)
        if setting is not None and setting.env is None and setting.value is not None:
            continue  # a literal the manifests adapted to
        var = snippets.setting_var(state.strategy, key, state.clustering)
        if key in _BASENAME_KEYS:
            value = state.basename
        elif key == "service" and state.strategy == K8S_DNSSRV:
            value = state.service
        elif key in _QUERY_KEYS:
            value = query
        elif key == "namespace":
            if namespace is None:
                state.fields[var] = "metadata.namespace"
                continue
            value = namespace
        else:  # kubernetes_selector
            value = _selector(state)
        if var == "RELEASE_NAME" and value != state.plan.release:
            state.problems.append(
                f"{key} is read from RELEASE_NAME, the release's name ({state.plan.release}), "
                f"and the nodes are named {value}@..."
            )
            continue
        if var != "RELEASE_NAME" and var not in state.fields:  # those have their values
            state.config[var] = value
    if state.strategy == K8S_API:
        ns_setting = state.settings.get("kubernetes_namespace")
        if ns_setting is not None and ns_setting.env is not None:
            if namespace is None:
                state.fields[ns_setting.env] = "metadata.namespace"
            else:
                state.config[ns_setting.env] = namespace


def _selector(state: _State) -> str:
    component = "server" if state.clustering.lookup_pods else "cluster"
    return f"app.kubernetes.io/name={state.name},app.kubernetes.io/component={component}"


@dataclass(frozen=True)
class _Distribution:
    port: int
    epmd: bool
    files: tuple[tuple[str, str], ...]
    secrets: tuple[EnvVar, ...]
    replaced: tuple[str, ...] = ()


def _distribution(state: _State, host: str) -> _Distribution:
    if state.plan.release_tool == "distillery":
        return _distillery(state, host)
    return _mix(state, host)


def _version(value: str) -> tuple[int, ...]:
    """The numbers of a version the plan holds; () for "unknown" (a --builder-image tag
    without one), which is below every version compared here."""
    return parse_version(value) or ()


def _epmdless_supported(plan: Plan) -> bool:
    """OTP 23.1 added ``-erl_epmd_port`` without EPMD; Elixir 1.12 added remote.vm.args (the
    versions the image builds with, from the plan)."""
    return _version(plan.otp) >= (23, 1) and _version(plan.elixir) >= (1, 12)


def _mix(state: _State, host: str) -> _Distribution:
    dist = state.project.distribution
    vm, remote = dist.vm_args, dist.remote_vm_args
    port = vm.dist_port if vm is not None and vm.dist_port else DIST_PORT
    own_port = vm is not None and vm.dist_port is not None
    # The project's own port keeps the project's own choice of EPMD.
    epmdless = (vm is not None and vm.epmdless) if own_port else _epmdless_supported(state.plan)
    files: list[tuple[str, str]] = []
    if not own_port:
        flags = (
            f"-start_epmd false -erl_epmd_port {port}"
            if epmdless
            else f"-kernel inet_dist_listen_min {port} inet_dist_listen_max {port}"
        )
        why = (
            "without EPMD (OTP 23.1+; peers are expected on the same port)"
            if epmdless
            else "with EPMD (4369) handing it out"
        )
        text = _vm_args_file(vm, f"the distribution on port {port}, {why}", flags)
        files.append(("vm.args", text))
    if epmdless and not (remote is not None and remote.epmdless):
        files.append(
            (
                "remote.vm.args",
                _vm_args_file(
                    remote,
                    f"`rpc` and `remote` reach the node on port {port} and listen on none",
                    f"-start_epmd false -erl_epmd_port {port} -dist_listen false",
                ),
            )
        )
    env = state.env
    env["RELEASE_DISTRIBUTION"] = "name"
    env["RELEASE_NODE"] = f"{state.basename}@{host}"
    names = dict(files)
    if "vm.args" in names:
        env["RELEASE_VM_ARGS"] = f"{VM_ARGS_DIR}/vm.args"
    if "remote.vm.args" in names:
        env["RELEASE_REMOTE_VM_ARGS"] = f"{VM_ARGS_DIR}/remote.vm.args"
    for template in (vm, remote):
        if (
            template is not None
            and template.templated
            and template.path.rsplit("/", 1)[-1].removesuffix(".eex") in names
        ):
            state.warnings.append(
                f"{', '.join(template.templated)}: EEx in the release's vm.args is filled at "
                f"build; the pods start with {state.options.k8s_base}/"
                f"{template.path.rsplit('/', 1)[-1].removesuffix('.eex')} (mounted at "
                f"{VM_ARGS_DIR}), which copies the other lines: add what those lines render to "
                "it (kubenative keeps a hand-edited file)"
            )
    _env_sh(state)
    secrets: tuple[EnvVar, ...] = ()
    if not any(var.name == "RELEASE_COOKIE" for var in state.project.env):
        secrets = (
            _cookie(
                f"bin/{state.plan.release} (it prefers it to the cookie baked at releases/COOKIE)"
            ),
        )
    return _Distribution(port, not epmdless, tuple(files), secrets)


def _cookie(read_by: str) -> EnvVar:
    """RELEASE_COOKIE, required and secret (from the Kubernetes Secret), and what reads it."""
    return EnvVar("RELEASE_COOKIE", None, True, True, read_by)


def _env_sh(state: _State) -> None:
    """rel/env.sh.eex runs before the release script reads RELEASE_NODE & co from the
    environment: an unconditional assignment there replaces the pod's value."""
    ours = {**state.config, **state.env}
    ours.setdefault("RELEASE_NAME", state.plan.release)
    for name, value, where in state.project.distribution.env_sh:
        if name == "RELEASE_COOKIE":
            state.warnings.append(
                f"{where} sets RELEASE_COOKIE unconditionally, so the pods use the cookie in "
                "the image, not the Secret's: anyone who can pull the image can connect to "
                'them; write `export RELEASE_COOKIE="${RELEASE_COOKIE:-...}"` to keep the '
                "environment's value"
            )
            continue
        if name not in ours or value == ours[name]:
            continue
        node = f" (it must come out as {state.basename}@<pod IP>)" if name == "RELEASE_NODE" else ""
        state.warnings.append(
            f"{where} sets {name}={value} unconditionally, which replaces the value these "
            f"manifests give the pods, {name}={ours[name]}{node}; write "
            f'`export {name}="${{{name}:-...}}"` to keep the environment\'s value'
        )


def _vm_args_file(template: VmArgs | None, why: str, flags: str) -> str:
    lines = [
        "## VM flags for the pods (`kubenative k8s`), mounted from a ConfigMap; only the",
        "## commands that start the VM read this file.",
    ]
    if template is not None and template.lines:
        lines.append(f"## From {template.path}:")
        lines.extend(template.lines)
    lines.append(f"## {why[:1].upper()}{why[1:]}:")
    lines.append(flags)
    return "\n".join(lines) + "\n"


def _distillery(state: _State, host: str) -> _Distribution:
    dist = state.project.distribution
    vm = dist.vm_args
    port = vm.dist_port if vm is not None and vm.dist_port else DIST_PORT
    env = state.env
    env["REPLACE_OS_VARS"] = "true"
    opts = [dist.erl_opts] if dist.erl_opts else []
    if vm is None or vm.dist_port is None:
        opts.append(f"-kernel inet_dist_listen_min {port} inet_dist_listen_max {port}")
    if opts:
        env["ERL_OPTS"] = " ".join(opts)
    files: tuple[tuple[str, str], ...] = ()
    secrets: tuple[EnvVar, ...] = ()
    if not _distillery_vm_args_fit(state, vm, host):
        distillery_host = re.sub(r"\$\((\w+)\)", r"${\1}", host)
        lines = [
            "## The node's name and cookie for the pods (`kubenative k8s`), mounted from a",
            "## ConfigMap; Distillery fills ${VAR} from the environment at boot",
            "## (REPLACE_OS_VARS=true).",
            f"-name {state.basename}@{distillery_host}",
            "-setcookie ${RELEASE_COOKIE}",
        ]
        if vm is not None and vm.lines:
            lines.append(f"## From {vm.path}:")
            lines.extend(vm.lines)
        files = (("vm.args", "\n".join(lines) + "\n"),)
        env["VMARGS_PATH"] = f"{VM_ARGS_DIR}/vm.args"
        secrets = (_cookie(f"{state.options.k8s_base}/vm.args (-setcookie)"),)
    replaced = (vm.path,) if files and vm is not None else ()
    return _Distribution(port, True, files, secrets, replaced)


def _distillery_vm_args_fit(state: _State, vm: VmArgs | None, host: str) -> bool:
    """The project's vm.args already names the node ``<basename>@${VAR}`` with a cookie from
    the environment: the pod sets VAR to its IP (and a basename variable) and keeps it."""
    if vm is None or vm.name is None or vm.cookie is None or vm.name_flag != "-name":
        return False
    base, _, node_host = vm.name.rpartition("@")
    # Distillery renders its vm.args as EEx at build: `<%= release_name %>` is the release.
    base = re.sub(r"<%=\s*release_name\s*%>", state.plan.release, base)
    if "<%" in base:
        return False
    host_var = PLACEHOLDER.fullmatch(node_host)
    if host_var is None or not PLACEHOLDER.fullmatch(vm.cookie) or host != "$(POD_IP)":
        return False
    if host_var.group(1) != "POD_IP":
        state.env[host_var.group(1)] = "$(POD_IP)"
    base_var = PLACEHOLDER.fullmatch(base)
    if base_var is not None:
        if base_var.group(1) != "RELEASE_NAME":
            state.config[base_var.group(1)] = state.basename
        elif state.basename != state.plan.release:
            state.problems.append(
                f"{vm.path} names the node ${{RELEASE_NAME}}@..., the release "
                f"({state.plan.release}), and the strategy connects to {state.basename}@..."
            )
    elif base != state.basename:
        if state.basename == state.plan.release:
            state.basename = base  # the project's own name; the strategy's is a variable
        else:
            state.problems.append(
                f"{vm.path} names the node {base}@..., the strategy connects to "
                f"{state.basename}@..."
            )
    return True


def _snippet(state: _State) -> str:
    c = state.clustering
    app = _app_of(state)
    module = "".join(part.capitalize() for part in app.split("_"))
    placeholder = state.plan.release_tool == "distillery"
    if placeholder:  # Distillery fills "${VAR}" in config at boot (REPLACE_OS_VARS)
        target = "config/prod.exs"
    elif _version(state.plan.elixir) < (1, 11):
        target = "config/releases.exs"  # runtime.exs came with Elixir 1.11
    else:
        target = "config/runtime.exs"
    if state.strategy == DNS_CLUSTER:
        return snippets.dns_cluster(c, app, target, placeholder)
    return snippets.libcluster(c, state.strategy, app, module, target, placeholder)


def _app_of(state: _State) -> str:
    """The application whose config/children the snippet names: the one a DNSCluster child
    already reads, else the web app, else the first app."""
    setting = state.settings.get("query")
    if setting is not None and setting.expr:
        match = re.search(r"Application\.(?:get|fetch)_env!?\(:(\w+)", setting.expr)
        if match:
            return match.group(1)
    web = [a for a in state.project.apps if a.phoenix]
    return (web or list(state.project.apps))[0].name
