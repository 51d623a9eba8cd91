'use client';

import { useId } from 'react';
import { cn } from './cn';
import { Input } from './input';

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

interface NumberFieldProps {
  label: React.ReactNode;
  error?: string | null;
  className?: string;
  inputClassName?: string;
  /** the text in the box (a form keeps what was typed, even while it is not yet a number) */
  value: string | number;
  onValue: (text: string) => void;
  min?: number;
  max?: number;
  step?: number;
}

/** A whole-number Field: a number box that brings up the phone's number pad. */
export function NumberField({ label, error, className, inputClassName, value, onValue, min, max, step }: NumberFieldProps) {
  return (
    <Field label={label} error={error} className={className}>
      {(control) => (
        <Input
          {...control}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={step}
          value={value}
          onChange={(e) => onValue(e.target.value)}
          className={inputClassName}
        />
      )}
    </Field>
  );
}
