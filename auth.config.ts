import type { NextAuthConfig } from 'next-auth';

/**
 * The part of the Auth.js config without providers or database access: pages, session strategy
 * and how a token becomes a session. `auth.ts` adds the providers.
 */
export const authConfig = {
  pages: { signIn: '/signin' },
  // A Credentials provider (local demo sign-in) requires JWT sessions.
  session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
  trustHost: process.env.AUTH_TRUST_HOST === 'true' || process.env.NODE_ENV !== 'production' || undefined,
  callbacks: {
    session({ session, token }) {
      if (token.uid && token.clinicId && token.role) {
        session.user.id = String(token.uid);
        session.user.clinicId = token.clinicId;
        session.user.role = token.role;
      }
      return session;
    },
  },
  providers: [],
} satisfies NextAuthConfig;
