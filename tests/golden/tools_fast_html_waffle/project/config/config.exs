import Config

config :gallery, GalleryWeb.Endpoint, url: [host: "localhost"], adapter: Bandit.PhoenixAdapter
config :waffle, storage: Waffle.Storage.Local
