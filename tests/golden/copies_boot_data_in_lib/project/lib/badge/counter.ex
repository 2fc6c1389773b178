defmodule Badge.Counter do
  use Agent

  def start_link(_), do: Agent.start_link(fn -> 0 end, name: __MODULE__)

  def hit, do: Agent.get_and_update(__MODULE__, &{&1 + 1, &1 + 1})

  # A template evaluated at boot (EEx.eval_file): data, copied; one compiled in with
  # EEx.function_from_file would be read at build time instead.
  def mail(name), do: EEx.eval_file("priv/mail/hello.eex", assigns: [name: name, count: hit()])
end
