# Shared settings, evaluated by config/config.exs relative to the working directory.
[currency: "EUR", precision: 2]
