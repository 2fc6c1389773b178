defmodule Vault do
end
