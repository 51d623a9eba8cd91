import { NextIntlClientProvider } from 'next-intl';

/** The settings forms translate in the browser (useTranslations): next-intl's provider, with the catalog, for them. */
export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return <NextIntlClientProvider>{children}</NextIntlClientProvider>;
}
