"""KubePlan → the kustomize base, one function per file. Manifests are data: dicts in the order
the Kubernetes reference pages write their fields, serialized by PyYAML (``sort_keys=False``).
Comments, where a file needs one, go above the document."""

from __future__ import annotations

from kubenative.k8s import cluster_docs
from kubenative.k8s.cluster import EPMD_PORT, VM_ARGS_DIR
from kubenative.k8s.docs import Doc, dump
from kubenative.k8s.docs import labels as _labels
from kubenative.k8s.docs import selector as _selector
from kubenative.k8s.plan import VERSION_ANNOTATION, KubePlan, field_path

SECRETS_FILE = "secrets.env"
MIGRATE_COMPONENT = "migrate"
# The ConfigMap and the Secret: CI applies them with the Job, before the new pods.
CONFIG_COMPONENT = "config"
VM_ARGS_VOLUME = "vm-args"

NO_CPU_LIMIT = (
    "# No CPU limit, on purpose: the kernel's CFS quota throttles a container that uses its\n"
    "# quota early in a period, and a throttled BEAM stalls all its schedulers at once (latency\n"
    "# spikes, missed heartbeats). The CPU request still reserves capacity; memory is limited.\n"
)


def config_name(plan: KubePlan) -> str:
    return f"{plan.name}-config"


def secret_name(plan: KubePlan) -> str:
    return f"{plan.name}-secrets"


def job_name(plan: KubePlan) -> str:
    """The Job's name as written: kustomize replaces its last part (one word, so the index
    stays right whatever the version holds) with the version annotation."""
    return f"{plan.name}-migrate-release"


def _pod_security(plan: KubePlan) -> Doc:
    return {
        "runAsNonRoot": True,
        "runAsUser": plan.user_id,
        "runAsGroup": plan.user_id,
        "fsGroup": plan.user_id,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def _container_security() -> Doc:
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }


def _env(plan: KubePlan) -> list[Doc]:
    env: list[Doc] = []
    for name, value in plan.env:
        field = field_path(name, plan.cluster)
        if field is not None:
            env.append({"name": name, "valueFrom": {"fieldRef": {"fieldPath": field}}})
        else:
            env.append({"name": name, "value": value})
    return env


def _env_from(plan: KubePlan) -> list[Doc]:
    sources: list[Doc] = [{"configMapRef": {"name": config_name(plan)}}]
    if plan.secrets:
        sources.append({"secretRef": {"name": secret_name(plan)}})
    return sources


def vm_args_name(plan: KubePlan) -> str:
    return f"{plan.name}-vm-args"


def _mounts(plan: KubePlan) -> list[Doc]:
    mounts: list[Doc] = [{"name": name, "mountPath": path} for name, path in plan.writable]
    if plan.cluster is not None and plan.cluster.files:
        mounts.append({"name": VM_ARGS_VOLUME, "mountPath": VM_ARGS_DIR, "readOnly": True})
    return mounts


def _volumes(plan: KubePlan) -> list[Doc]:
    volumes: list[Doc] = [
        {"name": name, "emptyDir": {"sizeLimit": "64Mi"}} for name, _ in plan.writable
    ]
    if plan.cluster is not None and plan.cluster.files:
        volumes.append({"name": VM_ARGS_VOLUME, "configMap": {"name": vm_args_name(plan)}})
    return volumes


def _ports(plan: KubePlan) -> list[Doc]:
    ports: list[Doc] = []
    if plan.service:
        ports += [{"name": p.name, "containerPort": p.port, "protocol": "TCP"} for p in plan.ports]
    if plan.cluster is not None:
        ports.append({"name": "dist", "containerPort": plan.cluster.dist_port, "protocol": "TCP"})
        if plan.cluster.epmd:
            ports.append({"name": "epmd", "containerPort": EPMD_PORT, "protocol": "TCP"})
    return ports


def _probe(plan: KubePlan, period: int, failures: int) -> Doc:
    probes = plan.probes
    if probes.kind == "http":
        get: Doc = {"path": probes.path, "port": probes.port}
        if probes.scheme != "HTTP":
            get["scheme"] = probes.scheme
        action: Doc = {"httpGet": get}
    else:
        action = {"tcpSocket": {"port": probes.port}}
    return {**action, "periodSeconds": period, "timeoutSeconds": 2, "failureThreshold": failures}


def _container(plan: KubePlan) -> Doc:
    container: Doc = {
        "name": plan.name,
        "image": plan.image_name,
        "imagePullPolicy": "IfNotPresent",
    }
    ports = _ports(plan)
    if ports:
        container["ports"] = ports
    container["env"] = _env(plan)
    container["envFrom"] = _env_from(plan)
    if plan.service:
        # Startup allows 2 s x 60 = 2 minutes to boot; then readiness takes the pod in and out
        # of the Service, and liveness restarts a VM that stopped answering for 30 s.
        container["startupProbe"] = _probe(plan, 2, 60)
        container["readinessProbe"] = _probe(plan, 5, 3)
        container["livenessProbe"] = _probe(plan, 10, 3)
    container["resources"] = {
        "requests": {"cpu": "100m", "memory": "256Mi"},
        "limits": {"memory": "512Mi"},
    }
    container["securityContext"] = _container_security()
    container["volumeMounts"] = _mounts(plan)
    return container


def _pod_labels(plan: KubePlan) -> Doc:
    extra = dict(plan.cluster.pod_labels) if plan.cluster else {}
    return {**extra, **_labels(plan)}


def _pod_spec(plan: KubePlan) -> Doc:
    spec: Doc = {}
    cluster = plan.cluster
    if cluster is not None and cluster.rbac:
        # libcluster's Kubernetes strategy reads endpoints with the pod's token.
        spec["serviceAccountName"] = service_account_name(plan)
        spec["automountServiceAccountToken"] = True
    else:
        spec["automountServiceAccountToken"] = False
    if cluster is not None and cluster.subdomain:
        # With the headless Service's name as subdomain, each pod gets the DNS name
        # <pod>.<service>.<namespace>.svc.cluster.local that DNSSRV returns.
        spec["subdomain"] = cluster.subdomain
    spec["securityContext"] = _pod_security(plan)
    # SIGTERM makes the release stop its applications in order (init:stop); this leaves time
    # for open requests and supervisors' shutdown timeouts.
    spec["terminationGracePeriodSeconds"] = plan.grace_seconds
    spec["containers"] = [_container(plan)]
    spec["volumes"] = _volumes(plan)
    return spec


def service_account_name(plan: KubePlan) -> str:
    return plan.name


def deployment(plan: KubePlan) -> str:
    doc: Doc = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": plan.name, "labels": _labels(plan)},
        "spec": {
            "replicas": plan.replicas,
            "selector": _selector(plan),
            # Never below the wanted count during a rollout: new pods first, then old ones go.
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "10%", "maxUnavailable": 0},
            },
            "template": {"metadata": {"labels": _pod_labels(plan)}, "spec": _pod_spec(plan)},
        },
    }
    return dump(doc, NO_CPU_LIMIT)


def service(plan: KubePlan) -> str:
    doc: Doc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": plan.name, "labels": _labels(plan)},
        "spec": {
            "type": "ClusterIP",
            "selector": _labels(plan),
            "ports": _service_ports(plan),
        },
    }
    return dump(doc)


def _service_ports(plan: KubePlan) -> list[Doc]:
    """The first HTTP(S) port as 80 (443 for https), every other one on its own number."""
    ports: list[Doc] = []
    for index, item in enumerate(plan.ports):
        number = (443 if item.scheme == "https" else 80) if index == 0 else item.port
        ports.append(
            {"name": item.name, "port": number, "targetPort": item.name, "protocol": "TCP"}
        )
    return ports


def pdb(plan: KubePlan) -> str:
    doc: Doc = {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": plan.name, "labels": _labels(plan)},
        "spec": {"minAvailable": 1, "selector": _selector(plan)},
    }
    return dump(doc)


def configmap(plan: KubePlan) -> str:
    lines = []
    notes = dict(plan.notes)
    for name, _ in plan.config:
        if name in notes:
            lines.append(f"# {name}: {notes[name]}.")
    if plan.unset:
        lines.append("# Read at boot, without a value here (add the ones you need):")
        for var in plan.unset:
            state = "required" if var.required else "optional"
            why = f"; {notes[var.name]}" if var.name in notes else ""
            lines.append(f"#   {var.name} ({state}, {var.source}{why})")
    doc: Doc = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": config_name(plan), "labels": _labels(plan, CONFIG_COMPONENT)},
        "data": dict(plan.config),
    }
    return dump(doc, "".join(line + "\n" for line in lines))


def migrate_job(plan: KubePlan) -> str:
    assert plan.migrate is not None
    container = {
        "name": "migrate",
        "image": plan.image_name,
        "imagePullPolicy": "IfNotPresent",
        "command": list(plan.migrate),
        "env": _env(plan),
        "envFrom": _env_from(plan),
        "resources": {
            "requests": {"cpu": "100m", "memory": "256Mi"},
            "limits": {"memory": "512Mi"},
        },
        "securityContext": _container_security(),
        "volumeMounts": _mounts(plan),
    }
    labels = _labels(plan, MIGRATE_COMPONENT)
    doc: Doc = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": job_name(plan), "labels": labels},
        "spec": {
            "backoffLimit": 2,
            "activeDeadlineSeconds": 900,
            "ttlSecondsAfterFinished": 86400,
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "restartPolicy": "Never",
                    "automountServiceAccountToken": False,
                    "securityContext": _pod_security(plan),
                    "containers": [container],
                    "volumes": _volumes(plan),
                },
            },
        },
    }
    comment = (
        f"# Runs the migrations with {plan.migrate_how}, once per release: the name ends with\n"
        f"# the {VERSION_ANNOTATION} annotation that CI sets next to the image tag.\n"
    )
    return dump(doc, comment)


def resources(plan: KubePlan) -> list[str]:
    files = ["configmap.yaml", "deployment.yaml"]
    if plan.service:
        files.append("service.yaml")
    if plan.pdb:
        files.append("pdb.yaml")
    if plan.migrate:
        files.append("migrate-job.yaml")
    files += [name for name in cluster_docs.render(plan) if name.endswith(".yaml")]
    return files


def kustomization(plan: KubePlan) -> str:
    doc: Doc = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
    }
    if plan.namespace:
        doc["namespace"] = plan.namespace
    doc["labels"] = [
        {
            "pairs": {
                "app.kubernetes.io/name": plan.name,
                "app.kubernetes.io/part-of": plan.part_of,
                "app.kubernetes.io/managed-by": "kubenative",
            },
            "includeTemplates": True,
        }
    ]
    doc["commonAnnotations"] = {VERSION_ANNOTATION: plan.version}
    doc["resources"] = resources(plan)
    image: Doc = {"name": plan.image_name, "newName": plan.image_repo}
    if plan.image_tag:
        image["newTag"] = plan.image_tag
    if plan.image_digest:
        image["digest"] = plan.image_digest
    doc["images"] = [image]
    if plan.cluster is not None and plan.cluster.files:
        # A generated name (with a hash of the files): the pods roll when a flag changes.
        doc["configMapGenerator"] = [
            {
                "name": vm_args_name(plan),
                "files": [name for name, _ in plan.cluster.files],
                "options": {"labels": {"app.kubernetes.io/component": CONFIG_COMPONENT}},
            }
        ]
    if plan.secrets:
        doc["secretGenerator"] = [
            {
                "name": secret_name(plan),
                "envs": [SECRETS_FILE],
                "options": {"labels": {"app.kubernetes.io/component": CONFIG_COMPONENT}},
            }
        ]
    if plan.migrate:
        suffix_index = len(job_name(plan).split("-")) - 1
        doc["replacements"] = [
            {
                "source": {
                    "kind": "Job",
                    "name": job_name(plan),
                    "fieldPath": f"metadata.annotations.[{VERSION_ANNOTATION}]",
                },
                "targets": [
                    {
                        "select": {"kind": "Job", "name": job_name(plan)},
                        "fieldPaths": ["metadata.name"],
                        "options": {"delimiter": "-", "index": suffix_index},
                    }
                ],
            }
        ]
    comment = (
        "# CI, per release: kustomize edit set image "
        f"{plan.image_name}=REPO:TAG && kustomize edit set annotation {VERSION_ANNOTATION}:TAG\n"
    )
    return dump(doc, comment)


def _how(name: str) -> str:
    if name == "SECRET_KEY_BASE":
        return "64+ random bytes: `mix phx.gen.secret` or `openssl rand -base64 64 | tr -d '\\n'`"
    if name.endswith("COOKIE"):
        return "random, the same for every node: `openssl rand -base64 48 | tr -d '\\n'`"
    if name == "DATABASE_URL":
        return "the database URL with its credentials: ecto://USER:PASSWORD@HOST/DATABASE"
    if name.endswith(("_URL", "_URI")):
        return "the full URL, credentials included: SCHEME://USER:PASSWORD@HOST/..."
    return "the value your provider gives you"


def secrets_example(plan: KubePlan) -> str:
    lines = [
        f"# Copy to {SECRETS_FILE} (never committed: it is in .gitignore and .dockerignore) and",
        "# fill in every value; kustomize's secretGenerator turns it into the Secret.",
    ]
    for var in plan.secrets:
        state = "required" if var.required else "optional"
        lines.append("")
        lines.append(f"# {var.name}: {state}, read at {var.source}; {_how(var.name)}")
        lines.append(f"{var.name}=" if var.required else f"# {var.name}=")
    return "\n".join(lines) + "\n"


def render(plan: KubePlan) -> dict[str, str]:
    """Every file of the kustomize base, by path relative to the base folder (unstamped)."""
    files = {
        "kustomization.yaml": kustomization(plan),
        "configmap.yaml": configmap(plan),
        "deployment.yaml": deployment(plan),
    }
    if plan.service:
        files["service.yaml"] = service(plan)
    if plan.pdb:
        files["pdb.yaml"] = pdb(plan)
    if plan.migrate:
        files["migrate-job.yaml"] = migrate_job(plan)
    files.update(cluster_docs.render(plan))
    if plan.secrets:
        files[f"{SECRETS_FILE}.example"] = secrets_example(plan)
    return files
