# The worker and the API (which serves the console), one image; the command picks the process.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:console

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm i --no-save tsx@4.23.15
COPY . .
COPY --from=build /app/console/dist ./console/dist
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/main.ts"]
