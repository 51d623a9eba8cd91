import { check, integer, pgTable, primaryKey, timestamp, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { clinics } from './clinic';

/** The old tables `npm run db:import-legacy` reads (CONTRACT.md, "The old schema"). */
export const LEGACY_TABLES = ['users', 'patients', 'appointment_types', 'practitioner_availability', 'appointments'] as const;
export type LegacyTable = (typeof LEGACY_TABLES)[number];

/**
 * What the import of an old database made of each old row: the id of our row (users, patients,
 * appointment types, practitioner_availability; an appointment's calendar event). A row mapped here is
 * never imported again, so a second run brings over only what was added since.
 */
export const legacyImportMap = pgTable(
  'legacy_import_map',
  {
    clinicId: integer()
      .notNull()
      .references(() => clinics.id),
    table: varchar({ length: 40 }).notNull().$type<LegacyTable>(),
    oldId: integer().notNull(),
    newId: integer().notNull(),
    importedAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.table, t.oldId] }),
    check('check_legacy_table', sql`${t.table} IN ('users', 'patients', 'appointment_types', 'practitioner_availability', 'appointments')`),
  ],
);
