'use client';

import { useRouter } from 'next/navigation';
import { Suspense, useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { PatientDto } from '@/lib/schemas/responses';
import { lazySheet, type SheetMessages } from '../calendar/lazy-sheet';
import { Button } from '../ui/button';

export type UpdatePatient = (patientId: unknown, changes: unknown) => Promise<ActionState<PatientDto>>;

const PatientEditSheet = lazySheet(() => import('./patient-edit-sheet').then((m) => m.PatientEditSheet));

interface Props {
  patient: PatientDto;
  update: UpdatePatient;
  labels: { edit: string; saved: string };
  /** the sheet's catalog (patients, errors), loaded with it */
  intl: SheetMessages;
}

/** The patient page's Edit button: opens the name and phone sheet (loaded on first tap) and says when it saved. */
export function PatientEdit({ patient, update, labels, intl }: Props) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="flex shrink-0 flex-col items-end gap-1">
      <Button variant="primary" size="sm" className="px-4" onClick={() => setOpen(true)}>
        {labels.edit}
      </Button>
      <p role="status" className="text-sm text-success">
        {notice}
      </p>
      <Suspense>
        {open ? (
          <PatientEditSheet
            intl={intl}
            patient={patient}
            update={update}
            onClose={() => setOpen(false)}
            onSaved={(saved) => {
              setOpen(false);
              setNotice(labels.saved.replace('{name}', saved.full_name));
              router.refresh();
            }}
          />
        ) : null}
      </Suspense>
    </div>
  );
}
