# The CES hub. From the repository root:
#   docker build -f deploy/hub.Dockerfile -t ces-hub .
#   docker run -p 7100:7100 -e HUB_ID=hub-a ces-hub

# Build: all dependencies, the hub and the bundled CLI; then the package.json of the hub
# alone (deploy/app-package.js) and a prune, which leaves only the hub's production
# dependencies. Pruning here rather than installing again in the runtime image keeps native
# modules (bufferutil) built where compilers exist, and the lockfile's versions.
FROM node:22-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nest build hub && node apps/cli/package/bundle.js \
  && node deploy/app-package.js hub > package.hub.json && mv package.hub.json package.json \
  && npm prune --omit=dev --no-audit --no-fund

# Runtime: the hub's production dependencies, the built hub, the health check and the ces
# CLI as one self-contained file (docker exec … node ces.js status). Files stay root-owned;
# the hub runs as `node`.
FROM node:22-bookworm-slim
ENV NODE_ENV=production HUB_PORT=7100
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/apps/hub ./dist/apps/hub
COPY --from=build /app/dist/cli-package/ces.js ./ces.js
COPY deploy/healthcheck.js ./healthcheck.js
USER node
EXPOSE 7100
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "healthcheck.js", "HUB", "7100"]
CMD ["node", "dist/apps/hub/main.js"]
