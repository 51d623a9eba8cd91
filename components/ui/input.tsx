import { cn } from './cn';

/** A text, time or date input of 44 px; red border while `aria-invalid`. */
export function Input({ className, ...props }: React.ComponentProps<'input'>) {
  return (
    <input
      className={cn(
        'h-11 min-w-0 rounded-lg border border-line bg-surface px-2 text-base text-ink aria-invalid:border-danger aria-invalid:outline-danger read-only:bg-grayed',
        className,
      )}
      {...props}
    />
  );
}
