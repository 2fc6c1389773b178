# Baseline: the naive single-stage Dockerfile. One image holds the toolchain, the whole source
# and the build output; any change to any file rebuilds everything after `COPY . .`.
# ASSETS is the assets folder of an npm pipeline ("" when there is none); RELEASE the name of the
# release `mix release` builds (the only one the project defines).
ARG BUILDER_IMAGE
FROM ${BUILDER_IMAGE}
ARG ASSETS=""
ARG RELEASE

RUN if [ -n "$ASSETS" ]; then \
        apt-get update -y && apt-get install -y nodejs npm && rm -rf /var/lib/apt/lists/*; \
    fi

ENV MIX_ENV=prod
WORKDIR /app
COPY . .
RUN mix deps.get --only prod \
    && mix compile \
    && if [ -n "$ASSETS" ]; then npm ci --prefix "$ASSETS" && npm run deploy --prefix "$ASSETS"; fi \
    && mix release

ENV RELEASE=${RELEASE}
CMD ["/bin/sh", "-c", "exec /app/_build/prod/rel/$RELEASE/bin/$RELEASE start"]
