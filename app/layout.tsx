import type { Metadata, Viewport } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { WebFonts } from '@/components/shell/web-fonts';
import { WideCookie } from '@/components/shell/wide-cookie';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('app');
  return { title: t('name'), description: t('tagline') };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#ffffff' };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-dvh antialiased">
        <WideCookie />
        {/* No NextIntlClientProvider here: the calendar's pages draw their texts on the server and bring
            next-intl to the browser only with their sheets (components/calendar/lazy-sheet.tsx); the
            settings pages, whose forms translate in the browser, have it in their layout. */}
        {children}
        <WebFonts />
      </body>
    </html>
  );
}
