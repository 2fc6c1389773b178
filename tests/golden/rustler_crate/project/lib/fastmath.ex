defmodule Fastmath.Native do
  use Rustler, otp_app: :fastmath, crate: "fastmath"

  def add(_a, _b), do: :erlang.nif_error(:nif_not_loaded)
end
