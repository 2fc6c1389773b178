defmodule Badge.GithubFake do
  # AlloyCI's shape: a stand-in client compiled for prod that reads a test fixture at boot.
  def repos, do: File.read!("test/fixtures/repos.json")

  # Its own source, read at boot: the release holds it compiled, never the file.
  def source, do: File.read!("lib/badge/github_fake.ex")
end
