/**
 * The local demo sign-in (provider id `dev`) exists under `next dev` and tests, and under
 * `next start` only when AUTH_DEV_LOGIN=true. A production deployment without the variable has
 * no such provider at all, so its callback URL cannot sign anyone in.
 */
export function isDevLoginEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'production' || env.AUTH_DEV_LOGIN === 'true';
}
