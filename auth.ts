import NextAuth from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import Google from 'next-auth/providers/google';
import type { Provider } from 'next-auth/providers';
import { z } from 'zod';
import { authConfig } from './auth.config';
import { isDevLoginEnabled } from './lib/auth/dev-login';
import { acceptInvitationAtSignIn } from './lib/auth/invitations';
import { findUserByEmail, saveOAuthAccount } from './lib/auth/users';

const GOOGLE_SCOPE = 'openid email profile https://www.googleapis.com/auth/calendar';

function providers(): Provider[] {
  const list: Provider[] = [];
  if (process.env.AUTH_GOOGLE_ID) {
    list.push(
      Google({
        // Tests only: a local OpenID issuer standing in for Google (test/fakes/google-oidc.ts).
        ...(process.env.AUTH_GOOGLE_ISSUER ? { issuer: process.env.AUTH_GOOGLE_ISSUER } : {}),
        // Offline access + consent so Google returns a refresh token the calendar sync can use.
        authorization: { params: { access_type: 'offline', prompt: 'consent', scope: GOOGLE_SCOPE } },
      }),
    );
  }
  if (isDevLoginEnabled()) {
    list.push(
      Credentials({
        id: 'dev',
        name: 'Demo user',
        credentials: { email: { label: 'Email', type: 'email' } },
        async authorize(credentials) {
          const parsed = z.object({ email: z.email() }).safeParse(credentials);
          if (!parsed.success) return null;
          // Like Google's sign-in below: a pending invitation for the email makes the member.
          const user = (await findUserByEmail(parsed.data.email)) ?? (await acceptInvitationAtSignIn(parsed.data.email));
          return user ? { id: String(user.id), email: user.email, name: user.name } : null;
        },
      }),
    );
  }
  return list;
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: providers(),
  callbacks: {
    ...authConfig.callbacks,
    async signIn({ user, account }) {
      if (!user.email) return false;
      // A pending invitation for the email is accepted here: the member is created from it.
      const member = (await findUserByEmail(user.email)) ?? (await acceptInvitationAtSignIn(user.email));
      // Only people a clinic has added or invited may sign in; Google accounts are never created on the fly.
      // Back to the sign-in page with its error (returning false would end on Auth.js's own error page).
      if (!member) return '/signin?error=AccessDenied';
      // Auth.js's adapter does not refresh stored tokens on later sign-ins: save them ourselves.
      if (account?.provider === 'google') await saveOAuthAccount(member.id, account, user.email);
      return true;
    },
    async jwt({ token, user }) {
      if (user?.email) {
        const member = await findUserByEmail(user.email);
        if (member) {
          token.uid = member.id;
          token.clinicId = member.clinicId;
          token.role = member.role;
          token.name = member.name;
          token.email = member.email;
        }
      }
      return token;
    },
  },
});
