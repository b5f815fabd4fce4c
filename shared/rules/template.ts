/**
 * Reply templates: `Hi {{name | "there"}}, we open at {{capture.time}}`.
 *
 * Parsed once at validation time so staff learn about a typo in the editor, not when a customer writes.
 * Rendering never throws: a missing value becomes the fallback, or an empty string.
 */

/** A literal run of text or a variable with an optional fallback. */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; path: string; fallback: string | null; offset: number };

/** A problem in a template, with the character offset where it starts. */
export interface TemplateProblem {
  message: string;
  offset: number;
}

/** Variables every template may use; `capture.*` and `var.*` are checked against the rule and the account. */
export const TEMPLATE_VARIABLES = [
  'username',
  'name',
  'first_name',
  'account.name',
  'account.username',
  'message.text',
] as const;

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const FALLBACK = /^"((?:[^"\\]|\\.)*)"$/;

/** Splits a template into parts, or reports every syntax problem found. */
export function parseTemplate(
  source: string,
): { ok: true; parts: TemplatePart[] } | { ok: false; problems: TemplateProblem[] } {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  let cursor = 0;
  while (cursor < source.length) {
    const open = source.indexOf('{{', cursor);
    if (open === -1) {
      parts.push({ kind: 'text', text: source.slice(cursor) });
      break;
    }
    if (open > cursor) parts.push({ kind: 'text', text: source.slice(cursor, open) });
    const close = source.indexOf('}}', open + 2);
    const nextOpen = source.indexOf('{{', open + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      problems.push({
        message: `"{{" at position ${open + 1} is never closed: add "}}" after the variable name`,
        offset: open,
      });
      cursor = nextOpen === -1 ? source.length : nextOpen;
      continue;
    }
    const inner = source.slice(open + 2, close);
    const bar = inner.indexOf('|');
    const path = (bar === -1 ? inner : inner.slice(0, bar)).trim();
    let fallback: string | null = null;
    if (!PATH.test(path)) {
      problems.push({
        message:
          path === ''
            ? `Empty "{{}}" at position ${open + 1}: put a variable name inside`
            : `"${path}" at position ${open + 1} is not a variable name (letters, digits, "_" and ".")`,
        offset: open,
      });
    }
    if (bar !== -1) {
      const match = FALLBACK.exec(inner.slice(bar + 1).trim());
      if (match) fallback = (match[1] ?? '').replace(/\\(.)/g, '$1');
      else
        problems.push({
          message: `The fallback after "|" at position ${open + 1} must be text in double quotes, e.g. {{name | "there"}}`,
          offset: open,
        });
    }
    parts.push({ kind: 'variable', path, fallback, offset: open });
    cursor = close + 2;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, parts };
}

/** What a template may refer to besides the fixed variables. */
export interface TemplateScope {
  /** Named groups of the rule's pattern; `null` when the rule has no pattern (captures are then unknown). */
  captureNames: readonly string[] | null;
  /** Account variables (`{{var.key}}`); `null` when not known yet (checked again at compile time). */
  accountVariables: readonly string[] | null;
}

/** Syntax and variable check of one template: an empty list means it is valid. */
export function checkTemplate(source: string, scope: TemplateScope): TemplateProblem[] {
  const parsed = parseTemplate(source);
  if (!parsed.ok) return parsed.problems;
  const problems: TemplateProblem[] = [];
  for (const part of parsed.parts) {
    if (part.kind !== 'variable') continue;
    const problem = checkVariable(part.path, scope);
    if (problem) problems.push({ message: problem, offset: part.offset });
  }
  return problems;
}

function checkVariable(path: string, scope: TemplateScope): string | null {
  if ((TEMPLATE_VARIABLES as readonly string[]).includes(path)) return null;
  const [root, key, ...rest] = path.split('.');
  if (root === 'capture' && key !== undefined && rest.length === 0) {
    if (scope.captureNames === null)
      return `{{${path}}} needs a pattern trigger with a named group (?<${key}>…)`;
    if (!scope.captureNames.includes(key)) {
      const known = scope.captureNames.length > 0 ? scope.captureNames.join(', ') : 'none';
      return `{{${path}}}: the pattern has no group named "${key}" (named groups: ${known})`;
    }
    return null;
  }
  if (root === 'var' && key !== undefined && rest.length === 0) {
    if (scope.accountVariables === null || scope.accountVariables.includes(key)) return null;
    return `{{${path}}}: the account has no variable "${key}"; add it to the account or remove it`;
  }
  return `Unknown variable {{${path}}}: use one of ${TEMPLATE_VARIABLES.join(', ')}, capture.NAME or var.NAME`;
}

/** Values available at render time; a missing or empty value uses the variable's fallback. */
export interface TemplateValues {
  username?: string | null;
  name?: string | null;
  account: { name: string; username?: string | null };
  messageText?: string | null;
  captures?: Readonly<Record<string, string | null | undefined>>;
  variables?: Readonly<Record<string, string>>;
}

function lookup(path: string, values: TemplateValues): string | null | undefined {
  switch (path) {
    case 'username':
      return values.username;
    case 'name':
      return values.name;
    case 'first_name':
      return values.name?.trim().split(/\s+/u)[0];
    case 'account.name':
      return values.account.name;
    case 'account.username':
      return values.account.username;
    case 'message.text':
      return values.messageText;
    default: {
      const [root, key] = path.split('.');
      if (key === undefined) return undefined;
      if (root === 'capture') return values.captures?.[key];
      if (root === 'var') return values.variables?.[key];
      return undefined;
    }
  }
}

/** Fills a parsed template. Never throws; unknown or empty values become the fallback or "". */
export function fillTemplate(parts: readonly TemplatePart[], values: TemplateValues): string {
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') out += part.text;
    else {
      const value = lookup(part.path, values);
      out += value !== null && value !== undefined && value !== '' ? value : (part.fallback ?? '');
    }
  }
  return out;
}
