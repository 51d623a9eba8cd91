import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

const nextConfig: NextConfig = {
  // PGlite must be linked, not bundled (it loads its wasm/data files from its package);
  // googleapis out of the bundle halves build time and memory (see shared NOTES).
  serverExternalPackages: ['@electric-sql/pglite', 'googleapis', 'pg', 'ws'],
  poweredByHeader: false,
  // Builds that run side by side (the bench, a second checkout of the tests) each take their own folder.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // No answer may be sniffed into another type (a JSON error rendered as HTML, say).
  async headers() {
    return [{ source: '/:path*', headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }] }];
  },
};

export default withNextIntl(nextConfig);
