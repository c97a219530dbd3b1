# The CES repeater. From the repository root:
#   docker build -f deploy/repeater.Dockerfile -t ces-repeater .
#   docker run -p 7101:7101 -e REPEATER_HUB_URL=ws://hub-a:7100 ces-repeater

# Build: the same stage as the hub's (see deploy/hub.Dockerfile), so one build serves both.
FROM node:20 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Runtime: production dependencies and the built repeater. Files stay root-owned; the
# repeater runs as `node`.
FROM node:20-slim
ENV NODE_ENV=production REPEATER_PORT=7101
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/apps/repeater ./dist/apps/repeater
USER node
EXPOSE 7101
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.REPEATER_PORT||7101)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/repeater/main.js"]
