defmodule Atelier.Media.Thumbnail do
  @moduledoc "Thumbnails through libvips (Vix)."
  alias Vix.Vips.Operation

  def create(path, width \\ 320) do
    with {:ok, image} <- Operation.thumbnail(path, width) do
      Vix.Vips.Image.write_to_buffer(image, ".webp")
    end
  end
end
