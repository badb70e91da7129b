# syntax=docker/dockerfile:1
# One recipe for every service. docker-compose.yml builds it once per service, e.g.
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=referral .
# from the repository root (the whole workspace is the build context: a service needs the
# workspace packages it depends on).
FROM node:24-slim

ARG SERVICE
ARG PNPM_VERSION=12.4.2
RUN test -n "${SERVICE}" || { echo 'build arg SERVICE is required: referral, intervention, case-closure, projection or console' >&2; exit 1; }

# The same pnpm as package.json's packageManager, so the lockfile means the same thing here.
RUN npm install --global --no-audit --no-fund "pnpm@${PNPM_VERSION}"
ENV CI=true
WORKDIR /app

# Download every locked package keyed on the lockfile alone: a code change reuses this layer.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
RUN pnpm fetch

COPY . .
# Only this service and the workspace packages it depends on, plus the root's tools (tsx runs
# the TypeScript directly; there is no build step in this project).
RUN pnpm install --offline --frozen-lockfile --filter "@syv/${SERVICE}..." --filter syv-case-tracking \
  && test -f "services/${SERVICE}/src/main.ts"

ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    HOST=0.0.0.0
USER node
# exec: pnpm replaces the shell and passes SIGTERM on to the service (checked: pnpm exec forwards
# it), so the service's graceful shutdown (drain, flush the outbox, close the consumer) runs.
CMD ["sh", "-c", "exec pnpm exec tsx \"services/${SERVICE}/src/main.ts\""]
