# Cairn as one replica of a fleet (compose.yaml). Built from this checkout; `npm ci` runs the
# `prepare` script, which compiles TypeScript to dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
# A container's port is reached on its own interface, not loopback (docs/operations.md, "The HTTP port").
ENV HOST=0.0.0.0 PORT=3000 CAIRN_DATA_DIR=/data DOCS_DIR=/docs
# Only caches live under /data in a fleet (the index is in Qdrant, the rest in Redis and PostgreSQL).
RUN mkdir -p /data /docs && chown node:node /data
EXPOSE 3000
USER node
# No terminal in a container: questions come from Slack or Discord only.
CMD ["node", "bin/cairn.js", "start", "--no-terminal"]
