/** What shows while the calendar loads in the browser: a quiet gray block of the grid's size. */
export function GridPlaceholder({ tall = false }: { tall?: boolean }) {
  return <div aria-hidden="true" className={`mx-2 animate-pulse rounded-2xl bg-grayed ${tall ? 'h-[70dvh]' : 'h-96'}`} />;
}
