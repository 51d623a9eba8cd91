'use client';

import Form from 'next/form';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '../ui/button';
import { Input } from '../ui/input';

interface Props {
  q: string;
  labels: { search: string; placeholder: string; button: string };
}

/** How long typing pauses before the list follows it. */
const DEBOUNCE_MS = 250;

/**
 * The patient search: a GET form to `/patients?q=` (works without JavaScript, and the result is a
 * link), which in the browser also follows the typing after a short pause.
 */
export function PatientSearchForm({ q, labels }: Props) {
  const router = useRouter();
  const id = useId();
  const [value, setValue] = useState(q);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  function follow(text: string) {
    setValue(text);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const query = text.trim();
      router.replace(query ? `/patients?q=${encodeURIComponent(query)}` : '/patients', { scroll: false });
    }, DEBOUNCE_MS);
  }

  return (
    <Form action="/patients" role="search" aria-label={labels.search} className="flex gap-2" onSubmit={() => clearTimeout(timer.current)}>
      <label htmlFor={id} className="sr-only">
        {labels.search}
      </label>
      <Input
        id={id}
        name="q"
        type="search"
        value={value}
        onChange={(e) => follow(e.target.value)}
        placeholder={labels.placeholder}
        autoComplete="off"
        enterKeyHint="search"
        maxLength={200}
        className="flex-1 px-3"
      />
      <Button type="submit" variant="primary">
        {labels.button}
      </Button>
    </Form>
  );
}
