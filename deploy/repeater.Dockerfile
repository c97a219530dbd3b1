# The CES repeater. From the repository root:
#   docker build -f deploy/repeater.Dockerfile -t ces-repeater .
#   docker run -p 7101:7101 -e REPEATER_HUB_URL=ws://hub-a:7100 ces-repeater

# Build: as for the hub (see deploy/hub.Dockerfile), with the repeater's own package.json:
# only its production dependencies stay.
FROM node:22-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nest build repeater \
  && node deploy/app-package.js repeater > package.repeater.json \
  && mv package.repeater.json package.json \
  && npm prune --omit=dev --no-audit --no-fund

# Runtime: the repeater's production dependencies, the built repeater and the health check.
# Files stay root-owned; the repeater runs as `node`.
FROM node:22-bookworm-slim
ENV NODE_ENV=production REPEATER_PORT=7101
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/apps/repeater ./dist/apps/repeater
COPY deploy/healthcheck.js ./healthcheck.js
USER node
EXPOSE 7101
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "healthcheck.js", "REPEATER", "7101"]
CMD ["node", "dist/apps/repeater/main.js"]
