defmodule Clipper.Media do
  @moduledoc "Clips, thumbnails and version info, by running programs."

  @ffmpeg "ffmpeg"

  def clip(input, output, seconds) do
    System.cmd(@ffmpeg, ["-y", "-i", input, "-t", to_string(seconds), output])
  end

  def thumbnail(input, output) do
    Porcelain.shell("convert #{input}[0] -resize 320x #{output}")
  end

  def revision do
    {sha, 0} = System.cmd("git", ["rev-parse", "--short", "HEAD"])
    String.trim(sha)
  end

  def disk_free, do: :os.cmd(~c"df -h /tmp")

  # The program comes from configuration: kubenative cannot know it.
  def transcode(args), do: System.cmd(Application.fetch_env!(:clipper, :transcoder), args)

  def fingerprint(file), do: System.cmd("chromaprint-fpcalc", [file])
end
