"""Clustering facts: the library, the strategy and where each setting comes from; the release
templates' node name, cookie, port and env.sh overrides. Shapes seen in real projects."""

from __future__ import annotations

from pathlib import Path

from kubenative.project import clustering, distribution

MIX = """defmodule Shop.MixProject do
  use Mix.Project
  def project, do: [app: :shop, version: "0.1.0", deps: deps()]
  defp deps do
    [{:phoenix, "~> 1.7"}, {:%s, "~> 1.0"}]
  end
end
"""


def _read(tmp_path: Path, files: dict[str, str], dep: str = "libcluster") -> clustering.Clustering:
    (tmp_path / "mix.exs").write_text(MIX % dep)
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    config = sorted(r for r in files if r.startswith("config/"))
    lib = sorted(r for r in files if r.startswith("lib/"))
    return clustering.read(tmp_path, ["mix.exs"], config, lib)


def test_dns_cluster_child_follows_application_get_env_to_runtime_exs(tmp_path: Path) -> None:
    found = _read(
        tmp_path,
        {
            "lib/shop/application.ex": """defmodule Shop.Application do
  @app :shop
  def start(_, _) do
    children = [
      {DNSCluster, query: Application.get_env(@app, :dns_cluster_query) || :ignore},
      ShopWeb.Endpoint
    ]
    Supervisor.start_link(children, strategy: :one_for_one)
  end
end
""",
            "config/runtime.exs": """import Config
config :shop, :dns_cluster_query, System.get_env("DNS_CLUSTER_QUERY")
""",
        },
        dep="dns_cluster",
    )
    assert (found.library, found.strategy, found.mode) == ("dns_cluster", "DNSCluster", "dns")
    assert found.source == "lib/shop/application.ex:5"
    assert found.reads == ("DNS_CLUSTER_QUERY",) and found.configured
    query = found.setting("query")
    assert query is not None and query.where == "config/runtime.exs:2"


def test_dns_cluster_without_the_config_line_is_not_configured(tmp_path: Path) -> None:
    found = _read(
        tmp_path,
        {
            "lib/shop/application.ex": "children = [{DNSCluster, query: "
            "Application.get_env(:shop, :dns_cluster_query) || :ignore}]\n"
        },
        dep="dns_cluster",
    )
    assert found.strategy == "DNSCluster" and not found.configured
    query = found.setting("query")
    assert query is not None and query.expr and "Application.get_env(:shop" in query.expr


def test_libcluster_topologies_in_runtime_exs_through_bindings(tmp_path: Path) -> None:
    # The Fly shape (banchan, ash_hq): the basename is a variable read, the query an
    # interpolation kubenative cannot set; a dev-only Gossip topology is skipped.
    found = _read(
        tmp_path,
        {
            "config/runtime.exs": """import Config
if config_env() == :dev do
  config :libcluster, topologies: [local: [strategy: Cluster.Strategy.Gossip]]
end
if config_env() == :prod do
  app_name = System.get_env("FLY_APP_NAME") || raise "FLY_APP_NAME not available"
  config :libcluster,
    topologies: [
      fly6pn: [
        strategy: Cluster.Strategy.DNSPoll,
        config: [polling_interval: 5_000, query: "#{app_name}.internal", node_basename: app_name]
      ]
    ]
end
"""
        },
    )
    assert found.strategy == "Cluster.Strategy.DNSPoll" and found.mode == "dns"
    assert found.others == ()
    basename = found.setting("node_basename")
    query = found.setting("query")
    assert basename is not None and basename.env == "FLY_APP_NAME"
    assert query is not None and query.expr == '"#{app_name}.internal"'
    assert not found.configured and found.reads == ("FLY_APP_NAME",)


def test_kubernetes_strategy_with_distillery_placeholders_and_an_alias(tmp_path: Path) -> None:
    files = {
        "config/prod.exs": """use Mix.Config
alias Cluster.Strategy.Kubernetes, as: K8s
config :libcluster,
  topologies: [
    k8s: [
      strategy: Cluster.Strategy.Kubernetes,
      config: [
        kubernetes_selector: "${LIBCLUSTER_KUBERNETES_SELECTOR}",
        kubernetes_node_basename: "shop",
        kubernetes_ip_lookup_mode: :pods
      ]
    ]
  ]
"""
    }
    (tmp_path / "mix.exs").write_text(MIX % "libcluster")
    (tmp_path / "config").mkdir()
    (tmp_path / "config/prod.exs").write_text(files["config/prod.exs"])
    found = clustering.read(tmp_path, ["mix.exs"], ["config/prod.exs"], [], distillery=True)
    assert found.mode == "kubernetes" and found.lookup_pods and found.configured
    selector = found.setting("kubernetes_selector")
    assert selector is not None and selector.env == "LIBCLUSTER_KUBERNETES_SELECTOR"
    as_mix = clustering.read(tmp_path, ["mix.exs"], ["config/prod.exs"], [])
    literal = as_mix.setting("kubernetes_selector")  # no REPLACE_OS_VARS: a plain string
    assert literal is not None and literal.value == "${LIBCLUSTER_KUBERNETES_SELECTOR}"


def test_a_kubernetes_strategy_is_preferred_and_the_others_listed(tmp_path: Path) -> None:
    found = _read(
        tmp_path,
        {
            "lib/shop/cluster.ex": """defmodule Shop.Cluster do
  alias Cluster.Strategy.DNSPoll
  def topologies do
    [
      dns: [strategy: DNSPoll,
            config: [query: System.fetch_env!("DNS_NODES"), node_basename: "shop"]],
      k8s: [strategy: Elixir.Cluster.Strategy.Kubernetes.DNS,
            config: [service: "shop-headless", application_name: "shop"]],
      pg: [strategy: LibclusterPostgres.Strategy, config: []]
    ]
  end
  def child, do: {Cluster.Supervisor, [topologies(), [name: Shop.ClusterSupervisor]]}
end
"""
        },
    )
    assert found.strategy == "Cluster.Strategy.Kubernetes.DNS" and found.supervisor
    assert [s for s, _ in found.others] == [
        "Cluster.Strategy.DNSPoll",
        "LibclusterPostgres.Strategy",
    ]
    service = found.setting("service")
    assert service is not None and service.value == "shop-headless"


def test_a_dependency_without_a_topology_is_the_library_alone(tmp_path: Path) -> None:
    found = _read(tmp_path, {"lib/shop.ex": "defmodule Shop do\nend\n"})
    assert (found.library, found.strategy, found.mode) == ("libcluster", None, None)


def test_mix_release_templates(tmp_path: Path) -> None:
    (tmp_path / "rel").mkdir()
    (tmp_path / "rel/vm.args.eex").write_text(
        "## comment\n+Q 65536\n-kernel inet_dist_listen_min 57195\n"
        "-kernel inet_dist_listen_max 57195\n+S <%= System.schedulers() %>\n"
    )
    (tmp_path / "rel/env.sh.eex").write_text(
        """#!/bin/sh
case $RELEASE_COMMAND in
  start*) export RELEASE_NODE=inside@case ;;
esac
if [ -n "$X" ]; then
  export RELEASE_COOKIE=inside-if
fi
export RELEASE_DISTRIBUTION=name
export RELEASE_NODE="${RELEASE_NODE:-shop@127.0.0.1}"
export RELEASE_COOKIE="baked-in"
# export RELEASE_TMP=/x
"""
    )
    found = distribution.read(tmp_path, "mix", "rel")
    assert found.vm_args is not None
    assert found.vm_args.dist_port == 57195 and not found.vm_args.epmdless
    assert found.vm_args.lines[0] == "+Q 65536"
    assert found.vm_args.templated == ("rel/vm.args.eex:5",)
    assert found.env_sh == (
        ("RELEASE_DISTRIBUTION", "name", "rel/env.sh.eex:8"),
        ("RELEASE_COOKIE", "baked-in", "rel/env.sh.eex:10"),
    )
    assert found.remote_vm_args is None


def test_distillery_vm_args_and_erl_opts_of_the_prod_environment(tmp_path: Path) -> None:
    (tmp_path / "rel").mkdir()
    (tmp_path / "rel/config.exs").write_text(
        """use Mix.Releases.Config, default_release: :default, default_environment: Mix.env()
environment :dev do
  set vm_args: "rel/dev.vm.args"
  set erl_opts: "-dev"
end
environment :prod do
  set vm_args: "rel/vm.args"
  set erl_opts: "+sbwt none"
end
release :shop do
  set version: "0.1.0"
end
"""
    )
    (tmp_path / "rel/vm.args").write_text(
        "-name ${RELEASE_NAME}@${POD_IP}\n-setcookie ${ERLANG_COOKIE}\n-smp auto\n"
    )
    found = distribution.read(tmp_path, "distillery", "rel")
    assert found.erl_opts == "+sbwt none"
    assert found.vm_args is not None and found.vm_args.path == "rel/vm.args"
    assert found.vm_args.name == "${RELEASE_NAME}@${POD_IP}"
    assert found.vm_args.cookie == "${ERLANG_COOKIE}"
    assert found.vm_args.lines == ("-smp auto",)


def test_a_lib_file_the_parser_cannot_read_is_skipped(tmp_path: Path) -> None:
    found = _read(
        tmp_path,
        {
            "lib/shop/broken.ex": "defmodule Broken do\n  def f(, do: :cluster\nend\n",
            "lib/shop/application.ex": 'children = [{DNSCluster, query: System.get_env("Q")}]\n',
        },
        dep="dns_cluster",
    )
    assert found.strategy == "DNSCluster" and found.reads == ("Q",)
