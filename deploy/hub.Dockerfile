# The CES hub. From the repository root:
#   docker build -f deploy/hub.Dockerfile -t ces-hub .
#   docker run -p 7100:7100 -e HUB_ID=hub-a ces-hub

# Build: all dependencies, `npm run build`, then drop the dev dependencies. Pruning here
# rather than installing again in the runtime image keeps native modules (bufferutil)
# built where compilers exist. This stage is the same as the repeater's: one build serves both.
FROM node:20 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Runtime: production dependencies and the built hub, plus the ces CLI
# (docker exec … node bin/ces.js status). Files stay root-owned; the hub runs as `node`.
FROM node:20-slim
ENV NODE_ENV=production HUB_PORT=7100
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/apps/hub ./dist/apps/hub
COPY --from=build /app/dist/apps/cli ./dist/apps/cli
COPY --from=build /app/bin ./bin
USER node
EXPOSE 7100
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HUB_PORT||7100)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/hub/main.js"]
