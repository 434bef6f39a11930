# syntax=docker/dockerfile:1
# Gerbang, the edge gateway of the Paser regency data centre.
#   docker build -t dkisp/gerbang .
#   docker run -p 80:8080 -p 443:8443 -v gerbang-data:/data -e GERBANG_ADMIN_TOKEN=... dkisp/gerbang
# The whole data centre picture (two instances, Redis, Prometheus, Grafana): deploy/compose.yaml.
# Ports: 8080 public HTTP, 8443 public HTTPS, 9180 admin API + /metrics + /healthz (never publish it to the
# Internet; Prometheus and operators reach it on the internal network). Volume: /data (state: embedded store,
# ACME account and certificates, last route table). Runs as the unprivileged `node` user: map 80/443 on the host.

# The same Node.js release as package.json's optionalDependencies pin for npm ci, tests and bench (README, "Runtime").
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# ---- build: dev dependencies, TypeScript compile ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional: the image has its Node.js; the npm-installed one (node-linux-*) is for machines without it.
RUN npm ci --ignore-scripts --omit=optional --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json

# ---- run: production dependencies only ----
FROM ${NODE_IMAGE} AS run
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    GERBANG_CONFIG=/etc/gerbang/gerbang.yaml \
    GERBANG_STATE_DIR=/data \
    GERBANG_ADMIN_HOST=0.0.0.0 \
    GERBANG_ADMIN_PORT=9180
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no install script runs in the image (none is needed at run time).
RUN npm ci --omit=dev --ignore-scripts --omit=optional --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY deploy/gerbang.yaml /etc/gerbang/gerbang.yaml
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080 8443 9180
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.GERBANG_ADMIN_PORT || 9180) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tini is PID 1: it forwards SIGTERM to node (which drains in-flight requests) and reaps zombies.
ENTRYPOINT ["/usr/bin/tini", "--"]
# node directly, not `npm start`: its prestart would try to compile, and npm does not pass signals on reliably.
CMD ["node", "dist/src/main.js"]
