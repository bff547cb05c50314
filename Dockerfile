# jb in a container: built in the official Swift image, run from slim Debian as a user
# without privileges. Not built on the project's machines (they have no container engine);
# see docs/scaling.md.
#
#   docker build -t jb .
#   docker run --rm jb jb run pipelines/demo.yaml --out /tmp/demo
#   docker compose up --build          # with PostgreSQL: compose.yaml

FROM swift:6.1-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libcurl4-openssl-dev libpq-dev libsqlite3-dev zlib1g-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib \
    && mkdir /out \
    && cp "$(swift build -c release --show-bin-path)"/jb* /out/

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       ca-certificates libcurl4 libpq5 libsqlite3-0 zlib1g wordnet-base \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 jb
COPY --from=build /out/ /usr/local/bin/
WORKDIR /home/jb/work
COPY --chown=jb:jb pipelines ./pipelines
COPY --chown=jb:jb examples ./examples
USER jb
ENV XDG_CACHE_HOME=/home/jb/.cache
CMD ["jb", "--help"]
