'use client';

import { useEffect, useState, useSyncExternalStore, type ComponentType, type ReactNode } from 'react';

const noSubscribe = () => () => {};

// Server-only, like the drawing components themselves (month-grid.tsx): `typeof window` is a build-time
// constant, so the browser's bundle has none of react-dom/server.
const drawOnServer =
  typeof window === 'undefined'
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- server-only branch, see above
      (require('./server-drawing') as typeof import('./server-drawing')).drawOnServer
    : null;

/** true on the server and while React hydrates the server's HTML, false once the browser renders alone */
export function useHydrating(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => false,
    () => true,
  );
}
/** Components already loaded in this browser, by their loader: drawn at once on the next mount. */
const loaded = new Map<unknown, ComponentType<never>>();

interface Props<P> {
  /** the drawing component on the server (required there only, see month-grid.tsx), null in the browser */
  server: ComponentType<P> | null;
  /** the same component for the browser, imported on demand */
  load: () => Promise<ComponentType<P>>;
  props: P;
  /** shown while the browser waits for `load` with nothing drawn yet */
  placeholder: ReactNode;
}

/**
 * A FullCalendar drawing made on the server and kept as it is in the browser. React does not hydrate
 * the children of an element given inner HTML, so the server's drawing stays on screen with none of
 * FullCalendar's code loaded; taps and keys are handled around it (the caller's section). When the
 * data changes (a refresh) or the drawing was never made on the server (client-side navigation), the
 * browser draws it itself with `load`, the server's drawing staying on screen until it can.
 */
export function CalendarDrawing<P extends object>({ server: Server, load, props, placeholder }: Props<P>) {
  const drawing = JSON.stringify(props);
  // What the server drew, remembered by the instance that hydrated it.
  const hydrating = useHydrating();
  const [serverDrawing] = useState(() => (hydrating ? drawing : null));
  const [Browser, setBrowser] = useState(() => (loaded.get(load) as ComponentType<P> | undefined) ?? null);
  const drawInBrowser = Server === null && serverDrawing !== drawing;

  useEffect(() => {
    if (!drawInBrowser || Browser) return;
    let current = true;
    void load().then((component) => {
      loaded.set(load, component as ComponentType<never>);
      if (current) setBrowser(() => component);
    });
    return () => {
      current = false;
    };
  }, [drawInBrowser, Browser, load]);

  if (Server && drawOnServer) {
    // The same element the browser keeps (below): inner HTML that React leaves alone.
    return <div key="server" suppressHydrationWarning dangerouslySetInnerHTML={{ __html: drawOnServer(Server, props, drawing) }} />;
  }
  if (drawInBrowser && Browser) {
    return (
      <div key="browser">
        <Browser {...props} />
      </div>
    );
  }
  if (serverDrawing !== null) return <div key="server" suppressHydrationWarning dangerouslySetInnerHTML={{ __html: '' }} />;
  return <div key="browser">{placeholder}</div>;
}
