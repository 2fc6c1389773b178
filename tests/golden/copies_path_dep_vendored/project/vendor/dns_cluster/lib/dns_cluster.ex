defmodule DNSCluster do end
