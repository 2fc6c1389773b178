defmodule Bazaar do
end
