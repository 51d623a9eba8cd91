'use client';

import { useRouter } from 'next/navigation';

interface Props {
  label: string;
  practitioners: ReadonlyArray<{ id: number; name: string }>;
  value: number;
  basePath: string;
}

export function PractitionerSwitcher({ label, practitioners, value, basePath }: Props) {
  const router = useRouter();
  return (
    <label className="flex items-center">
      <span className="sr-only">{label}</span>
      <select
        aria-label={label}
        value={value}
        onChange={(e) => router.push(`${basePath}?practitioner=${e.target.value}`)}
        className="h-11 max-w-36 rounded-full border border-line bg-surface px-3 text-sm"
      >
        {practitioners.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
