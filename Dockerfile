# Wendao API image: one image for every role (WENDAO_ROLE=api|worker|all). Multi-stage: the build
# stage installs everything and runs `npm run build` (swc, widget, admin console); the runtime stage
# keeps the production dependencies and the build output, runs as the unprivileged `node` user, and
# reads models from the /models volume (never baked in).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# hnswlib-node compiles from source when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
ENV ONNXRUNTIME_NODE_INSTALL_CUDA=skip
COPY . .
# `npm ci` runs the prepare script: `npm run build` writes dist/ and apps/widget/dist/.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WENDAO_DATA_DIR=/var/lib/wendao/data \
    WENDAO_MODELS_DIR=/models \
    WENDAO_WIDGET_FILE=/app/apps/widget/dist/widget.js
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/bin ./bin
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/apps/widget/dist ./apps/widget/dist
# The out-of-domain question bank calibration reads (libs/answer/data).
COPY --from=build /app/libs/answer/data ./libs/answer/data
RUN mkdir -p /var/lib/wendao/data /models && chown -R node:node /var/lib/wendao
USER node
# Saved KB indexes (and the embedded PostgreSQL when DATABASE_URL is unset); model folders, read-only.
VOLUME ["/var/lib/wendao/data", "/models"]
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
