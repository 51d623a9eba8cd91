import { requirePageCaller } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  await requirePageCaller();
  return <div className="flex min-h-dvh flex-col">{children}</div>;
}
