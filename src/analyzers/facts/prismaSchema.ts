/**
 * What the project's Prisma schema says about a model's rows: whether they are recorded once and never
 * edited — a `DateTime @default(now())` field and no `@updatedAt` field: a view, a visit, an event, a log
 * line, a message. Such rows pile up per parent record as long as the app runs (facts/perParent.ts).
 * The schema is read through the project host (ModuleHost.projectTexts: every `*.prisma` file of the
 * project, multi-file schemas included); each file is parsed once per text.
 */
import type { FileFacts } from './fileFacts';

export interface PrismaModel {
  name: string;
  /** The field stamped at creation (`createdAt DateTime @default(now())`), when there is one. */
  createdField?: string;
  /** True when a field is `@updatedAt`: the rows are edited after they are created. */
  updated: boolean;
  /** The schema file that declares it. */
  fileName: string;
}

const parsed = new Map<string, { text: string; models: PrismaModel[] }>();

/** The model a Prisma delegate (`prisma.view`, `tx.dataroomFolder`) reads, when the project's schema declares it. */
export function prismaModel(delegate: string, facts: FileFacts): PrismaModel | undefined {
  const texts = facts.modules?.projectTexts?.(facts.fileName, '.prisma');
  if (!texts) return undefined;
  for (const { fileName, text } of texts) {
    let known = parsed.get(fileName);
    if (known?.text !== text) {
      known = { text, models: parseModels(text, fileName) };
      parsed.set(fileName, known);
    }
    // A delegate is the model's name with its first letter lower-cased.
    const model = known.models.find((candidate) => candidate.name.charAt(0).toLowerCase() + candidate.name.slice(1) === delegate);
    if (model) return model;
  }
  return undefined;
}

/** `model Name { … }` blocks: each field line is `name Type attributes…`; `//` comments are dropped. */
function parseModels(text: string, fileName: string): PrismaModel[] {
  const models: PrismaModel[] = [];
  let current: PrismaModel | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!current) {
      const start = /^model\s+(\w+)\s*\{$/.exec(line);
      if (start) current = { name: start[1], updated: false, fileName };
      continue;
    }
    if (line === '}') {
      models.push(current);
      current = undefined;
      continue;
    }
    const field = /^(\w+)\s+(\w+)(\[\])?\??\s*(.*)$/.exec(line);
    if (!field) continue;
    const [, name, type, , attributes] = field;
    if (/@updatedAt\b/.test(attributes)) current.updated = true;
    if (type === 'DateTime' && /@default\(\s*now\(\s*\)\s*\)/.test(attributes)) current.createdField ??= name;
  }
  return models;
}
