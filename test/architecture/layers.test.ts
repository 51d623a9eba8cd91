import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Layers that run one way: a module may import its own layer or a lower one, never a higher one,
// and lib/ has no import cycles. Tests (*.test.ts) are not layered and are left out.

const ROOT = path.resolve(__dirname, '../..');

/**
 * Lowest first. `auth.ts` and `auth.config.ts` at the root are Auth.js's setup, part of the auth
 * layer. A contract route's operation declaration (app/api/**\/operation.ts: path, schemas, who may
 * call) is data that lib/openapi collects, so it sits at lib/openapi's level and may import nothing
 * higher; its route.ts (the handler) is app.
 */
const LAYERS: Array<{ name: string; level: number; match: (file: string) => boolean }> = [
  { name: 'lib/time', level: 0, match: (f) => f.startsWith('lib/time/') },
  { name: 'lib/availability', level: 1, match: (f) => f.startsWith('lib/availability/') },
  // Taiwan's office calendar (issue 16): the government's CSV read and mapped to clinic days; pure.
  { name: 'lib/holidays', level: 1, match: (f) => f.startsWith('lib/holidays/') },
  { name: 'lib/errors', level: 2, match: (f) => f === 'lib/errors.ts' },
  // Encryption of stored secrets (node:crypto and the key from the environment): below the database, used by reads and writes.
  { name: 'lib/crypto', level: 2, match: (f) => f.startsWith('lib/crypto/') },
  { name: 'lib/schemas', level: 3, match: (f) => f.startsWith('lib/schemas/') },
  { name: 'lib/db', level: 4, match: (f) => f.startsWith('lib/db/') },
  { name: 'lib/auth', level: 5, match: (f) => f.startsWith('lib/auth/') || f === 'auth.ts' || f === 'auth.config.ts' },
  { name: 'lib/queries', level: 6, match: (f) => f.startsWith('lib/queries/') },
  { name: 'lib/services', level: 7, match: (f) => f.startsWith('lib/services/') },
  { name: 'lib/outbox, lib/integrations, lib/demo', level: 8, match: (f) => /^lib\/(outbox|integrations|demo)\//.test(f) },
  {
    name: 'lib/api, lib/actions, lib/openapi, operation declarations',
    level: 9,
    match: (f) => f.startsWith('lib/api/') || f === 'lib/actions.ts' || f.startsWith('lib/openapi/') || /^app\/api\/.*\/operation\.ts$/.test(f),
  },
  { name: 'components', level: 10, match: (f) => f.startsWith('components/') },
  { name: 'app', level: 11, match: (f) => f.startsWith('app/') || f === 'proxy.ts' || f.startsWith('i18n/') },
];

/** What components may take from lib: plain values from the pure layers; DTO types (`import type`) from reads and writes. */
const COMPONENT_VALUES = /^lib\/(time|availability|schemas)\/|^lib\/errors\.ts$/;
const COMPONENT_TYPES = /^lib\/(queries|services|auth)\//;

/**
 * A lib module that touches the database (imports lib/db, directly or through other modules) must
 * `import 'server-only'`, so a stray import from a client component fails the build. The table
 * definitions themselves are exempt: drizzle-kit reads them outside any server.
 */
const DATABASE = /^lib\/db\//;
const SERVER_ONLY_EXEMPT = /^lib\/db\/schema\/|^lib\/db\/pglite-lock\.ts$/;

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

function resolve(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith('@/')) base = specifier.slice(2);
  else if (specifier.startsWith('.')) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return null; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    try {
      if (statSync(path.join(ROOT, candidate)).isFile()) return candidate;
    } catch {
      /* next */
    }
  }
  return null;
}

function importsOf(file: string): Array<{ specifier: string; typeOnly: boolean }> {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Array<{ specifier: string; typeOnly: boolean }> = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = Boolean(clause && (clause.isTypeOnly || (!clause.name && named && named.length > 0 && named.every((e) => e.isTypeOnly))));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const layerOf = (file: string) => LAYERS.find((l) => l.match(file));

const files = [...sourceFiles('lib'), ...sourceFiles('components'), ...sourceFiles('app')];
const edges: Edge[] = files.flatMap((from) =>
  importsOf(from).flatMap(({ specifier, typeOnly }) => {
    const to = resolve(from, specifier);
    return to && /\.tsx?$/.test(to) ? [{ from, to, typeOnly }] : [];
  }),
);
const show = (e: Edge) => `${e.from} → ${e.to}${e.typeOnly ? ' (type)' : ''}`;

/** Cycles as strongly connected components of more than one module (Tarjan), plus self-imports. */
function cycles(nodes: string[], graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of nodes) if (!idx.has(v)) connect(v);
  return out;
}

describe('layers', () => {
  it('finds the modules and their imports', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(edges.some((e) => e.from.startsWith('lib/services/') && e.to.startsWith('lib/db/'))).toBe(true);
  });

  it('puts every module in a layer', () => {
    const unplaced = [...new Set([...files, ...edges.map((e) => e.to)])].filter((f) => !layerOf(f) && !f.startsWith('test/'));
    expect(unplaced).toEqual([]);
  });

  it('has no import cycle among lib modules', () => {
    const lib = files.filter((f) => f.startsWith('lib/'));
    const graph = new Map<string, string[]>(lib.map((f) => [f, []]));
    for (const e of edges) if (graph.has(e.from) && e.to.startsWith('lib/')) graph.get(e.from)!.push(e.to);
    const found = cycles(lib, graph).map((scc) => {
      const inside = new Set(scc);
      return edges.filter((e) => inside.has(e.from) && inside.has(e.to)).map(show);
    });
    expect(found).toEqual([]);
  });

  it('has no arrow that runs up the order', () => {
    const up = edges.filter((e) => {
      const from = layerOf(e.from);
      const to = layerOf(e.to);
      return from && to && to.level > from.level;
    });
    expect(up.map((e) => `${show(e)}: ${layerOf(e.from)!.name} may not import ${layerOf(e.to)!.name}`)).toEqual([]);
  });

  it('keeps components presentational: nothing from app/, lib/db or server modules; DTO types only', () => {
    const bad = edges.filter(
      (e) =>
        e.from.startsWith('components/') && e.to.startsWith('lib/') && !COMPONENT_VALUES.test(e.to) && !(e.typeOnly && COMPONENT_TYPES.test(e.to)),
    );
    expect(bad.map(show)).toEqual([]);
  });

  it("guards every module that touches the database with import 'server-only'", () => {
    const valueImports = new Map<string, string[]>();
    for (const e of edges) if (!e.typeOnly) valueImports.set(e.from, [...(valueImports.get(e.from) ?? []), e.to]);
    const touchesDb = (file: string, seen = new Set<string>()): boolean => {
      if (DATABASE.test(file)) return true;
      if (seen.has(file)) return false;
      seen.add(file);
      return (valueImports.get(file) ?? []).some((to) => touchesDb(to, seen));
    };
    const missing = files
      .filter((f) => f.startsWith('lib/') && !SERVER_ONLY_EXEMPT.test(f) && touchesDb(f))
      .filter((f) => !importsOf(f).some((i) => i.specifier === 'server-only'));
    expect(missing).toEqual([]);
  });
});
