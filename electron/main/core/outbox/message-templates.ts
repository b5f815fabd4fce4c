/**
 * Saved templates: the lookup port and the rendering of `{{name}}` placeholders.
 *
 * Saved templates are not stored yet (a later capability); the default lookup knows none, so every
 * template id is refused as unknown instead of sending something half-filled.
 */
import type { QuickReply } from '../instagram';
import type { InputIssue } from './message-validation';

/** A reusable reply with named placeholders. */
export interface SavedTemplate {
  id: string;
  /** Text with `{{name}}` placeholders. */
  text: string;
  /** Every placeholder name the text uses; each must be given, nothing else may be. */
  params: readonly string[];
  quickReplies?: readonly QuickReply[];
}

/** Finds an account's saved template (or a shared one). */
export interface TemplateLookup {
  find(accountId: string, templateId: string): Promise<SavedTemplate | null>;
}

/** The lookup until saved templates exist: knows none. */
export const noSavedTemplates: TemplateLookup = { find: () => Promise.resolve(null) };

/** Fills in a template, or lists what does not fit. */
export function renderTemplate(
  template: SavedTemplate,
  params: Readonly<Record<string, string>>,
): { ok: true; text: string } | { ok: false; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  for (const name of template.params)
    if (!Object.hasOwn(params, name))
      issues.push({
        path: `params.${name}`,
        message: `The template "${template.id}" needs the parameter "${name}".`,
      });
  for (const name of Object.keys(params))
    if (!template.params.includes(name))
      issues.push({
        path: `params.${name}`,
        message: `The template "${template.id}" has no parameter "${name}" (it takes: ${template.params.join(', ') || 'none'}).`,
      });
  if (issues.length > 0) return { ok: false, issues };
  const text = template.text.replace(
    /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g,
    (_match, name: string) => params[name] ?? '',
  );
  return { ok: true, text };
}
