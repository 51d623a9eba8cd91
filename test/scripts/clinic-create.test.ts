import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeDb, getDb, type Db } from '@/lib/db/client';
import { auditLog, clinicCalendarDays, clinics, invitations, users } from '@/lib/db/schema';
import { createClinic } from '@/lib/services/clinics';
import { dbFingerprint } from '../support/db-fingerprint';
import { adminQuery, databaseUrl } from '../support/pg';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `npm run clinic:create` as an operator runs it: the script in a process of its own, on a database
 * of each driver (a PostgreSQL database, or the embedded PGlite in a folder of its own). The test
 * opens the same database between runs to look (PGlite allows one process at a time, so it closes
 * it again before the next run).
 */
for (const driver of ['postgres', 'pglite'] as const) {
  // Each run is a process of its own (tsx, then a fresh PGlite migrated from scratch on the first
  // one): on two busy cores that takes far more than the default 30 s now and then.
  describe(`npm run clinic:create on ${driver}`, { timeout: 120_000 }, () => {
    const name = `cbc_t_${inject('dbRunId')}_cli${randomBytes(3).toString('hex')}`;
    let env: NodeJS.ProcessEnv;
    let folder = '';

    beforeAll(async () => {
      await closeDb();
      env = { ...process.env, APP_BASE_URL: 'https://clinic.example.com' };
      delete env.DATABASE_URL;
      delete env.DATABASE_DRIVER;
      delete env.PGLITE_DATA_DIR;
      if (driver === 'pglite') {
        folder = mkdtempSync(path.join(tmpdir(), 'cbc-cli-'));
        env.PGLITE_DATA_DIR = path.join(folder, 'pglite');
      } else {
        await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${inject('dbTemplate')}`);
        env.DATABASE_URL = databaseUrl(name);
      }
    });
    afterAll(async () => {
      await closeDb();
      if (folder) rmSync(folder, { recursive: true, force: true });
      else await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });

    const run = (...args: string[]) =>
      new Promise<Run>((resolve, reject) => {
        const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/clinic-create.ts', ...args], {
          env,
          stdio: 'pipe',
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.once('error', reject);
        child.once('exit', (code) => resolve({ code, stdout, stderr }));
      });

    /** Opens the script's database in this process, looks, and closes it again. */
    async function look<T>(fn: (db: Db) => Promise<T>): Promise<T> {
      await closeDb();
      const saved = { url: process.env.DATABASE_URL, driver: process.env.DATABASE_DRIVER, dir: process.env.PGLITE_DATA_DIR };
      process.env.DATABASE_DRIVER = driver;
      if (driver === 'pglite') {
        delete process.env.DATABASE_URL;
        process.env.PGLITE_DATA_DIR = env.PGLITE_DATA_DIR;
      } else process.env.DATABASE_URL = env.DATABASE_URL;
      try {
        return await fn(await getDb());
      } finally {
        await closeDb();
        for (const [key, value] of [
          ['DATABASE_URL', saved.url],
          ['DATABASE_DRIVER', saved.driver],
          ['PGLITE_DATA_DIR', saved.dir],
        ] as const) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
      }
    }

    const fingerprint = () => look((db) => dbFingerprint(db));
    const sunrise = ['--name', 'Sunrise 物理治療', '--slug', 'sunrise', '--timezone', 'Asia/Taipei', '--admin-email', 'Amy.Lin@Example.com'];

    it('creates the clinic and its first admin (not a practitioner), audited as the system, and says what to do next', async () => {
      const res = await run(...sunrise, '--admin-name', '林艾咪');
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('Clinic "Sunrise 物理治療" created (slug sunrise, time zone Asia/Taipei');
      expect(res.stdout).toContain('Sign in at https://clinic.example.com/signin with the Google account of amy.lin@example.com');
      expect(res.stdout).toContain('profile menu → Clinic');
      expect(res.stdout).toContain('npm run agent-key -- --clinic sunrise');
      expect(res.stdout).toContain("Taiwan's office calendar 2026 and 2027 loaded: 46 holidays and make-up workdays");

      await look(async (db) => {
        const [clinic] = await db.select().from(clinics).where(eq(clinics.slug, 'sunrise'));
        expect(clinic).toMatchObject({ name: 'Sunrise 物理治療', timezone: 'Asia/Taipei', slotStepMinutes: null, minNoticeMinutes: 0 });
        const members = await db.select().from(users).where(eq(users.clinicId, clinic!.id));
        expect(members).toEqual([
          expect.objectContaining({ email: 'amy.lin@example.com', name: '林艾咪', role: 'admin', isPractitioner: false, deactivatedAt: null }),
        ]);
        const audit = await db.select().from(auditLog).where(eq(auditLog.clinicId, clinic!.id));
        expect(audit).toEqual([
          expect.objectContaining({
            actorType: 'system',
            actorUserId: null,
            actorAgentKeyId: null,
            action: 'clinic.created',
            entityType: 'clinic',
            entityId: String(clinic!.id),
            details: {
              name: 'Sunrise 物理治療',
              slug: 'sunrise',
              timezone: 'Asia/Taipei',
              taiwan_calendar_days: 46,
              admin: { user_id: members[0]!.id, email: 'amy.lin@example.com', name: '林艾咪', is_practitioner: false },
            },
          }),
        ]);
        // A clinic in Taipei starts with Taiwan's office calendar of the shipped years (2026 and 2027).
        const days = await db.select().from(clinicCalendarDays).where(eq(clinicCalendarDays.clinicId, clinic!.id));
        expect(days).toHaveLength(46);
        expect(days.find((d) => d.date === '2026-09-25')).toMatchObject({ kind: 'closed', name: '中秋節', source: 'taiwan' });
      });
    });

    it('--practitioner makes the admin a practitioner too; the name defaults to the email before the @; a zone in any case is stored as IANA spells it', async () => {
      const res = await run(
        '--name',
        'Harbour Clinic',
        '--slug',
        'harbour-2',
        '--timezone',
        'europe/berlin',
        '--admin-email',
        'doc@harbour.test',
        '--practitioner',
      );
      expect(res.code, res.stderr).toBe(0);
      await look(async (db) => {
        const [row] = await db
          .select({ timezone: clinics.timezone, name: users.name, role: users.role, isPractitioner: users.isPractitioner })
          .from(clinics)
          .innerJoin(users, eq(users.clinicId, clinics.id))
          .where(eq(clinics.slug, 'harbour-2'));
        expect(row).toEqual({ timezone: 'Europe/Berlin', name: 'doc', role: 'admin', isPractitioner: true });
      });
    });

    /** Refusals, each a change to a valid command: [what, options changed, message]. */
    const REFUSALS: Array<[string, string[], string]> = [
      ['a slug with capitals and underscores', ['--slug', 'Sun_Rise'], '--slug "Sun_Rise": Use 2 to 64 lower-case letters, digits and hyphens'],
      ['a one-letter slug', ['--slug', 's'], '--slug "s": Use 2 to 64 lower-case letters, digits and hyphens'],
      ['a slug of 65 characters', ['--slug', 'a'.repeat(65)], `--slug "${'a'.repeat(65)}": Use 2 to 64 lower-case letters, digits and hyphens`],
      ['an unknown time zone', ['--timezone', 'Asia/Taipe'], '--timezone "Asia/Taipe": Use an IANA time zone such as Asia/Taipei'],
      ['an offset instead of a zone', ['--timezone', '+08:00'], '--timezone "+08:00": Use an IANA time zone such as Asia/Taipei'],
      ['a bad email', ['--admin-email', 'amy@'], '--admin-email "amy@": Enter a valid email address'],
      ['a name with a control character', ['--name', 'Bad\u0007Clinic'], '--name "Bad\\u0007Clinic": No control characters'],
    ];
    /** Refusals the database decides (run one after another: PGlite allows one process at a time). */
    const DATABASE_REFUSALS: Array<[string, string[], string]> = [
      ['a taken slug', ['--slug', 'sunrise', '--admin-email', 'new@example.com'], 'The slug "sunrise" is taken (clinic "Sunrise 物理治療")'],
      [
        'an email that is a member of a clinic already (in any case)',
        ['--admin-email', 'AMY.LIN@example.com'],
        'amy.lin@example.com is already a member of clinic "Sunrise 物理治療"',
      ],
      [
        'an email with a pending invitation',
        ['--admin-email', 'invited@example.com'],
        'invited@example.com has a pending invitation to clinic "Sunrise 物理治療"',
      ],
    ];
    const refused = async ([what, change, message]: [string, string[], string]) => {
      const args = ['--name', 'Another Clinic', '--slug', 'another', '--timezone', 'Asia/Taipei', '--admin-email', 'another@example.com'];
      for (let i = 0; i < change.length; i += 2) args[args.indexOf(change[i]!) + 1] = change[i + 1]!;
      const res = await run(...args);
      expect(res.code, what).toBe(1);
      expect(res.stderr, what).toContain(message);
      expect(res.stdout, what).toBe('');
    };

    it('refuses bad slugs, time zones, emails and names, a taken slug and an email in use: each with a clear message and exit code 1, creating nothing', async () => {
      const before = await look(async (db) => {
        const [clinic] = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, 'sunrise'));
        await db.insert(invitations).values({ clinicId: clinic!.id, email: 'invited@example.com', name: 'Invited' });
        return dbFingerprint(db);
      });
      // These stop before the database is opened.
      await Promise.all(REFUSALS.map(refused));
      for (const refusal of DATABASE_REFUSALS) await refused(refusal);
      expect(await fingerprint()).toEqual(before);
    });

    it('of two creations racing for one slug, one wins and the other is a conflict that leaves nothing behind', async () => {
      await look(async (db) => {
        const results = await Promise.allSettled(
          ['racer-a@example.com', 'racer-b@example.com'].map((email) =>
            createClinic(db, { name: 'Race', slug: 'race', timezone: 'Asia/Taipei', admin_email: email }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['conflict']);
        const [n] = await db
          .select({ clinics: sql<number>`count(DISTINCT ${clinics.id})::int`, users: sql<number>`count(${users.id})::int` })
          .from(clinics)
          .leftJoin(users, eq(users.clinicId, clinics.id))
          .where(eq(clinics.slug, 'race'));
        expect(n).toEqual({ clinics: 1, users: 1 });
      });
    });
  });
}
