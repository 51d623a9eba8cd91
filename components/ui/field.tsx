'use client';

import { useId } from 'react';
import { cn } from './cn';

export interface FieldControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface Props {
  label: React.ReactNode;
  /** the field's localized error, shown under it and announced */
  error?: string | null;
  className?: string;
  /** the control, given its id and its error wiring */
  children: (control: FieldControlProps) => React.ReactNode;
}

/** A label, its control and the control's own error beside it (aria-invalid + aria-describedby). */
export function Field({ label, error, className, children }: Props) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={cn('flex min-w-0 flex-col gap-1 text-sm', className)}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? errorId : undefined })}
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
