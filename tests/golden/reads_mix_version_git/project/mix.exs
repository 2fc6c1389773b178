defmodule Stamp.MixProject do
  use Mix.Project

  @version_file Path.join(__DIR__, "VERSION")
  @version @version_file |> File.read!() |> String.trim()

  def project do
    [
      app: :stamp,
      version: @version <> revision(),
      elixir: "~> 1.14",
      deps: []
    ]
  end

  def application, do: [extra_applications: [:logger]]

  # A build suffix: passed in (a build argument in the image), else from git, which is not
  # in a Docker build context.
  defp revision do
    case System.get_env("APP_REVISION") do
      nil -> git_revision()
      revision -> "+" <> revision
    end
  end

  defp git_revision do
    case File.read(".git/HEAD") do
      {:ok, "ref: " <> _} -> "+" <> short_sha()
      _ -> ""
    end
  end

  defp short_sha do
    {sha, 0} = System.cmd("git", ["rev-parse", "--short", "HEAD"])
    String.trim(sha)
  end
end
