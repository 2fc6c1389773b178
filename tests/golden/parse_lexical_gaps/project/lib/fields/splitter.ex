defmodule Fields.Splitter do
  @moduledoc """
  Splits a line of `{a,b,"c\\,d"}` fields: a backslash escapes the next character, a comma ends
  a field and a closing brace ends the line.
  """

  # Each of these is valid Elixir that tree-sitter-elixir 0.3.5 misreads: an uppercase sigil
  # whose content ends in `\\` (two backslashes; the delimiter after them closes it), and char
  # literals of punctuation. Everything below them must still be read where it is.
  @escape ~S(\\)
  @quote_escape ~S'\"'

  def split(line), do: split(line, "", [])

  defp split(~S(\\) <> <<c::utf8>> <> rest, field, acc), do: split(rest, field <> <<c::utf8>>, acc)
  defp split(~S|\\| <> "", _field, _acc), do: raise(ArgumentError, "dangling #{@escape}")
  defp split(<<?,>> <> rest, field, acc), do: split(rest, "", [field | acc])
  defp split(<<c>> <> _, _field, acc) when c in [?}, ?;], do: Enum.reverse(acc)
  defp split(<<c>> <> rest, field, acc), do: split(rest, field <> <<c>>, acc)
  defp split("", field, acc), do: Enum.reverse([field | acc])

  def quote_escape, do: @quote_escape

  # Read after the sigils above: a misread would swallow it.
  @external_resource "data/separators.txt"
  @separators File.read!("data/separators.txt") |> String.split("\n", trim: true)

  def separators, do: @separators
end
