'use client';

/**
 * The @font-face rules of Noto Sans TC are ~35 KB (gzip) per weight: in the page's own stylesheet
 * they would hold back the first paint. They are loaded here instead, as soon as this module runs
 * in the browser, as a stylesheet of their own; text shows in the system fonts until then
 * (see --font-sans in globals.css).
 */
if (typeof window !== 'undefined') void import('./noto-sans-tc-faces');

/** Rendered once by the root layout so that the loader above is part of every page. */
export function WebFonts() {
  return null;
}
