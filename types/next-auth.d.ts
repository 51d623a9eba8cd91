import type { DefaultSession } from 'next-auth';

declare module 'next-auth' {
  interface Session {
    user: { id: string; clinicId: number; role: 'practitioner' | 'admin' } & DefaultSession['user'];
  }
}

declare module '@auth/core/jwt' {
  interface JWT {
    uid?: number;
    clinicId?: number;
    role?: 'practitioner' | 'admin';
  }
}
