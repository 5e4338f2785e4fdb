# One image for the three services; docker-compose.yml picks each one's command.

# --- the workspace's manifests and the kafkajs patch: what both installs below read ---
FROM node:20-bookworm-slim AS manifests
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY patches ./patches
COPY libs/config/package.json libs/config/
COPY libs/errors/package.json libs/errors/
COPY libs/exactly-once/package.json libs/exactly-once/
COPY libs/kafka/package.json libs/kafka/
COPY libs/kafka-testing/package.json libs/kafka-testing/
COPY libs/logger/package.json libs/logger/
COPY libs/reconcile/package.json libs/reconcile/
COPY libs/schema/package.json libs/schema/
COPY libs/telemetry/package.json libs/telemetry/
COPY services/dashboard/package.json services/dashboard/
COPY services/insights/package.json services/insights/
COPY services/login-processor/package.json services/login-processor/
COPY services/producer/package.json services/producer/
COPY tools/compose-test/package.json tools/compose-test/
COPY tools/demo/package.json tools/demo/

# --- build: every dependency, the kafkajs patch applied, the compiled services ---
# `npm ci` (whose postinstall applies patches/) re-runs only when the manifests change.
FROM manifests AS build
RUN npm ci --no-audit --no-fund
COPY libs ./libs
COPY services ./services
# Compile, then keep each package's manifest, its dist without tests, test helpers, benches,
# maps or declarations, and the dashboard's static page.
RUN npx tsc -b services/producer services/login-processor services/insights services/dashboard \
 && rm -rf libs/kafka-testing tools \
 && find libs services -mindepth 2 -maxdepth 2 ! -name dist ! -name package.json ! -name public -exec rm -rf {} + \
 && find libs services -path '*/dist/*' \( -name '*.test.*' -o -name '*.map' -o -name '*.d.ts' -o -name '.tsbuildinfo' -o -type d \( -name testing -o -name bench \) \) -prune -exec rm -rf {} +

# --- production dependencies only, with the kafkajs the build stage patched ---
FROM manifests AS deps
# Without scripts: patch-package is a dev dependency. kafkajs then comes patched from the build.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules/@login-stream -xtype l -delete
COPY --from=build /app/node_modules/kafkajs ./node_modules/kafkajs

# --- runtime: Node, production dependencies, compiled code; runs as `node` ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
# The services check at start that kafkajs carries every change of this patch.
COPY --from=build /app/patches ./patches
# A package's own node_modules (a version other than the hoisted one) from deps, its dist from build.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/libs ./libs
COPY --from=deps /app/services ./services
COPY --from=build /app/libs ./libs
COPY --from=build /app/services ./services
# The image's `node` user, by id so a runtime can check it is not root.
USER 1000:1000
# Node itself as the process, not npm, so SIGTERM reaches the services' clean shutdown; compose
# runs it under an init (`init: true`) that forwards signals and reaps children.
CMD ["node", "services/login-processor/dist/main.js"]
