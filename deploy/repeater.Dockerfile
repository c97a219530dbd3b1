# The CES repeater. Build from the repository root: docker build -f deploy/repeater.Dockerfile -t ces-repeater .
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nest build repeater

FROM node:20-bookworm-slim
ENV NODE_ENV=production REPEATER_PORT=7101
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/apps/repeater ./dist/apps/repeater
USER node
EXPOSE 7101
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.REPEATER_PORT||7101)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/repeater/main.js"]
