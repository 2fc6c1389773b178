# Baseline: the layout `mix phx.gen.release --docker` writes, for a single (non-umbrella) app
# without assets. Adapted to the otp_service fixture: it has no `config/prod.exs` and no `priv/`,
# so those copies are left out; `mix local.hex/local.rebar` are left out because the fixtures have
# no Hex dependencies and the offline stand-in builder cannot reach Hex; no `rel/` overlays.
# The layer order is the template's: mix files -> deps.get -> compile-time config ->
# deps.compile -> lib -> compile -> runtime.exs -> release.
ARG BUILDER_IMAGE
ARG RUNNER_IMAGE

FROM ${BUILDER_IMAGE} AS builder

RUN apt-get update -y \
    && apt-get install -y build-essential git \
    && apt-get clean && rm -f /var/lib/apt/lists/*_*

WORKDIR /app
ENV MIX_ENV="prod"

COPY mix.exs mix.lock ./
RUN mix deps.get --only $MIX_ENV
RUN mkdir config

# compile-time config before the dependencies are compiled
COPY config/config.exs config/
RUN mix deps.compile

COPY lib lib
RUN mix compile

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

COPY --from=builder --chown=nobody:root /app/_build/${MIX_ENV}/rel/otp_service ./

USER nobody
CMD ["/app/bin/otp_service", "start"]
