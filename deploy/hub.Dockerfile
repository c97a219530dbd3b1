# The CES hub. Build from the repository root: docker build -f deploy/hub.Dockerfile -t ces-hub .
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nest build hub

FROM node:20-bookworm-slim
ENV NODE_ENV=production HUB_PORT=7100
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/apps/hub ./dist/apps/hub
USER node
EXPOSE 7100
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HUB_PORT||7100)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/hub/main.js"]
