import Config

config :clipper, transcoder: "ffmpeg"
