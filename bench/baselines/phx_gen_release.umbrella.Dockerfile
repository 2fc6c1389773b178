# Baseline: the layout `mix phx.gen.release --docker` writes, adapted by hand to the umbrella
# fixture the way its users do it (that generator refuses umbrellas):
#   * every app's mix.exs is copied next to the root one before `deps.get`;
#   * Node comes from the builder's apt (`nodejs npm`) and the npm assets are built with
#     `npm ci --prefix` + `npm run deploy --prefix` where the template runs `mix assets.deploy`;
#   * `mix local.hex/local.rebar` are left out: the fixtures have no Hex dependencies and the
#     offline stand-in builder cannot reach Hex; the fixtures have no `rel/` overlays to copy.
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

# mix files of the umbrella and of each app, copied one by one
COPY mix.exs mix.lock ./
COPY apps/kube_native/mix.exs apps/kube_native/
COPY apps/kube_native_web/mix.exs apps/kube_native_web/
COPY apps/kube_native_worker/mix.exs apps/kube_native_worker/
RUN mix deps.get --only $MIX_ENV
RUN mkdir config

# compile-time config before the dependencies are compiled
COPY config/config.exs config/${MIX_ENV}.exs config/
RUN mix deps.compile

COPY apps/kube_native_web/priv apps/kube_native_web/priv
COPY apps/kube_native/lib apps/kube_native/lib
COPY apps/kube_native_web/lib apps/kube_native_web/lib
COPY apps/kube_native_worker/lib apps/kube_native_worker/lib
RUN mix compile

# assets after the code, as the template orders them
COPY apps/kube_native_web/assets apps/kube_native_web/assets
RUN npm ci --prefix apps/kube_native_web/assets \
    && npm run deploy --prefix apps/kube_native_web/assets

# runtime config last: changing it does not recompile the code
COPY config/runtime.exs config/
RUN mix release

FROM ${RUNNER_IMAGE}

RUN apt-get update -y \
    && apt-get install -y libstdc++6 openssl libncurses6 locales ca-certificates \
    && apt-get clean && rm -f /var/lib/apt/lists/*_*

# an en_US.UTF-8 locale
RUN sed -i '/en_US.UTF-8/s/^# //g' /etc/locale.gen && locale-gen
ENV LANG=en_US.UTF-8 \
    LANGUAGE=en_US:en \
    LC_ALL=en_US.UTF-8

WORKDIR "/app"
RUN chown nobody /app
ENV MIX_ENV="prod"

COPY --from=builder --chown=nobody:root /app/_build/${MIX_ENV}/rel/kube_native ./

USER nobody
CMD ["/app/bin/kube_native", "start"]
