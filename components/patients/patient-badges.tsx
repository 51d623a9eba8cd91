import { cn } from '../ui/cn';

/** "LINE": the patient writes to the clinic on LINE (the title says so in words). */
export function LineBadge({ label, title }: { label: string; title: string }) {
  return (
    <span title={title} className="shrink-0 rounded-full bg-success px-2 py-0.5 text-xs font-medium text-white">
      <span aria-hidden>{label}</span>
      <span className="sr-only">{title}</span>
    </span>
  );
}

/** A small label of an appointment's state (canceled, arrived, no-show). */
export function StateBadge({ children, tone }: { children: React.ReactNode; tone: 'muted' | 'success' | 'danger' }) {
  return (
    <span
      className={cn(
        'shrink-0 rounded-full px-2 py-0.5 text-xs font-medium',
        tone === 'muted' && 'bg-grayed text-muted',
        tone === 'success' && 'bg-success text-white',
        tone === 'danger' && 'bg-exception-soft text-danger',
      )}
    >
      {children}
    </span>
  );
}
