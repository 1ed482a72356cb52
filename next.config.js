/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native addons and the Kubernetes client run in Node as they are, not bundled.
  serverExternalPackages: ["@kubernetes/client-node", "better-sqlite3", "node-pty", "pg", "shiki"],
  poweredByHeader: false,
};

export default nextConfig;
