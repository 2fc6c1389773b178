defmodule Gallery.Photo do
  @moduledoc "Uploaded photos: the original, and a square thumbnail made by ImageMagick."
  use Waffle.Definition

  @versions [:original, :thumb]

  def transform(:thumb, _) do
    {:convert, "-strip -thumbnail 250x250^ -gravity center -extent 250x250 -format png", :png}
  end

  def transform(:original, _), do: :noaction

  def validate({file, _}), do: match?({_, _, _, _}, ExImageInfo.info(File.read!(file.path)))
end
