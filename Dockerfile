# otel-prom-bridge, the OTLP → Prometheus sidecar.
#   docker build -t otel-prom-bridge:0.1.0 .
#   docker run -p 4317:4317 -p 4318:4318 -p 9464:9464 otel-prom-bridge:0.1.0
# Settings: flags after the image name, OTEL_PROM_BRIDGE_* variables, or --config (see README "Its settings").
# test/deploy/dockerfile.test.ts repeats the runtime stage's steps without Docker: keep them plain.

# Build: the full toolchain (TypeScript and the dev dependencies) compiles src/ into dist/.
FROM node:24-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Run: a small Node 24 base, production dependencies only, a non-root user.
FROM node:24-alpine AS runtime
ARG VERSION=0.1.0
# No image.source label: add your repository's URL where you publish the image.
LABEL org.opencontainers.image.title="otel-prom-bridge" \
      org.opencontainers.image.description="OpenTelemetry metrics for Prometheus: receives OTLP (HTTP 4318, gRPC 4317) and serves /metrics on 9464" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# State kept across restarts (sums, start times, delta windows): the snapshot is written here every
# 30s and on SIGTERM, and restored at start. A volume, owned by the user below, so that it outlives
# the container (docker run -v bridge-state:/var/lib/otel-prom-bridge; an emptyDir in Kubernetes).
ENV OTEL_PROM_BRIDGE_STATE_DIR=/var/lib/otel-prom-bridge
RUN mkdir -p "$OTEL_PROM_BRIDGE_STATE_DIR" && chown 1000:1000 "$OTEL_PROM_BRIDGE_STATE_DIR"
VOLUME ["/var/lib/otel-prom-bridge"]
# The image's "node" user, by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
# OTLP/gRPC, OTLP/HTTP, metrics (/metrics, /-/healthy, /-/ready).
EXPOSE 4317 4318 9464
# Node's own fetch: the image needs no curl or wget. Change the port if you move --metrics-listen.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/-/healthy',{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]
# The signal the bridge drains on (drain_period, default 5s) before it exits 0; allow the
# container at least that long to stop (docker stop -t, compose stop_grace_period).
STOPSIGNAL SIGTERM
# node itself is PID 1 and handles SIGTERM and SIGINT (no npm or shell in between).
ENTRYPOINT ["node", "dist/cli.js"]
