# Baseline: the layout `mix phx.gen.release --docker` writes, for the assets_site fixture, with
# its asset build where that template puts it: in the builder, after `mix compile`, so it reads
# lib/ (Tailwind's content) without any copy. Adapted the way its users do for npm assets:
#   * Node comes from the builder's apt (`nodejs npm`);
#   * `npm ci` and the fixture's `mix assets.deploy` (its `npm run deploy` step, then its own
#     digest task) run where the template runs `mix assets.deploy`;
#   * `mix local.hex/local.rebar` are left out: the fixture has no Hex dependencies and the
#     offline stand-in builder cannot reach Hex.
# The layer order is the template's: mix files -> deps.get -> compile-time config ->
# deps.compile -> priv, lib -> compile -> assets -> runtime.exs -> release.
ARG BUILDER_IMAGE
ARG RUNNER_IMAGE

FROM ${BUILDER_IMAGE} AS builder

# build tools, plus Node for the npm asset pipeline
RUN apt-get update -y \
    && apt-get install -y build-essential git nodejs npm \
    && apt-get clean && rm -f /var/lib/apt/lists/*_*

WORKDIR /app
ENV MIX_ENV="prod"

COPY mix.exs mix.lock ./
RUN mix deps.get --only $MIX_ENV
RUN mkdir config

COPY config/config.exs config/${MIX_ENV}.exs config/
RUN mix deps.compile

COPY priv priv
COPY lib lib
RUN mix compile

# assets after the code, as the template orders them
COPY assets assets
RUN npm ci --prefix assets \
    && mix assets.deploy

COPY config/runtime.exs config/
RUN mix release

FROM ${RUNNER_IMAGE}

RUN apt-get update -y \
    && apt-get install -y libstdc++6 openssl libncurses6 locales ca-certificates \
    && apt-get clean && rm -f /var/lib/apt/lists/*_*

RUN sed -i '/en_US.UTF-8/s/^# //g' /etc/locale.gen && locale-gen
ENV LANG=en_US.UTF-8 \
    LANGUAGE=en_US:en \
    LC_ALL=en_US.UTF-8

WORKDIR "/app"
RUN chown nobody /app
ENV MIX_ENV="prod"
COPY --from=builder --chown=nobody:root /app/_build/${MIX_ENV}/rel/assets_site ./
USER nobody
CMD ["/app/bin/assets_site", "start"]
