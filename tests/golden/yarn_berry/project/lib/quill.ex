defmodule Quill do
  @moduledoc "quill"
end
