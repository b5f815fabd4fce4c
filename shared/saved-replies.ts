/**
 * Saved replies: short named texts staff insert in the composer by typing `/name`.
 *
 * Their bodies are rule templates (`Hi {{first_name | "there"}}`): parsed, checked and filled by the rule
 * engine's template code in `shared/rules/template.ts`, so a variable means the same thing in a rule and in a
 * saved reply. Only two things differ: there is no pattern, so `{{capture.*}}` is refused; and a variable with
 * no value and no fallback is not silently dropped but left in place and reported, so the composer can flag
 * it before anything is sent.
 */
import { GRAPH_LIMITS } from './rules/schema';
import { utf8ByteLength } from './rules/normalize';
import {
  TEMPLATE_VARIABLES,
  checkTemplate,
  fillTemplate,
  parseTemplate,
  type TemplateProblem,
  type TemplateValues,
} from './rules/template';

/** Longest name, in characters (the `saved_replies.name` column). */
export const SAVED_REPLY_NAME_MAX = 40;
/** A name is what staff type after `/`: one word. */
export const SAVED_REPLY_NAME = /^[\p{L}\p{N}_-]+$/u;
/** A body can never be longer than what Instagram accepts in one message. */
export const SAVED_REPLY_BODY_MAX_BYTES = GRAPH_LIMITS.textBytes;

/** What the name must look like, in plain words; null when it is fine. */
export function savedReplyNameProblem(name: string): string | null {
  if (name === '') return 'Give the reply a short name, e.g. opening-hours';
  if ([...name].length > SAVED_REPLY_NAME_MAX)
    return `Names have up to ${SAVED_REPLY_NAME_MAX} characters: shorten it`;
  if (!SAVED_REPLY_NAME.test(name))
    return 'Use one word: letters, digits, "-" or "_" (no spaces), e.g. opening-hours';
  return null;
}

/**
 * Problems of a body: empty, longer than one Instagram message, template syntax, unknown variables.
 * `accountVariables` are the `{{var.*}}` names of the reply's account; null for an "all accounts" reply
 * (each account may or may not have them: the composer flags a missing one).
 */
export function savedReplyBodyProblems(
  body: string,
  accountVariables: readonly string[] | null,
): TemplateProblem[] {
  if (body.trim() === '') return [{ message: 'Write the text of the reply', offset: 0 }];
  const bytes = utf8ByteLength(body);
  if (bytes > SAVED_REPLY_BODY_MAX_BYTES)
    return [
      {
        message: `The reply is ${bytes} bytes; Instagram accepts at most ${SAVED_REPLY_BODY_MAX_BYTES} in one message (UTF-8): shorten it`,
        offset: 0,
      },
    ];
  const parsed = parseTemplate(body);
  if (!parsed.ok) return parsed.problems;
  const problems: TemplateProblem[] = [];
  for (const part of parsed.parts) {
    if (part.kind === 'variable' && part.path.startsWith('capture.'))
      problems.push({
        message: `{{${part.path}}} only exists in rules with a pattern; a saved reply can use ${TEMPLATE_VARIABLES.join(', ')} or var.NAME`,
        offset: part.offset,
      });
  }
  if (problems.length > 0) return problems;
  return checkTemplate(body, { captureNames: [], accountVariables });
}

/** A body filled for one conversation. */
export interface RenderedSavedReply {
  text: string;
  /** Variables with no value here and no fallback, left in the text as `{{path}}`. */
  missing: string[];
}

/** Fills a body; a variable without value or fallback stays as `{{path}}` and is listed in `missing`. */
export function renderSavedReply(body: string, values: TemplateValues): RenderedSavedReply {
  const parsed = parseTemplate(body);
  if (!parsed.ok) return { text: body, missing: [] };
  let text = '';
  const missing: string[] = [];
  for (const part of parsed.parts) {
    if (part.kind === 'text') {
      text += part.text;
      continue;
    }
    const value = fillTemplate([{ ...part, fallback: null }], values);
    if (value === '' && part.fallback === null) {
      text += `{{${part.path}}}`;
      if (!missing.includes(part.path)) missing.push(part.path);
    } else text += fillTemplate([part], values);
  }
  return { text, missing };
}

/** Variables still written as `{{…}}` in a text about to be sent (what the composer flags). */
export function unfilledVariables(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/\{\{\s*([^{}|]*?)\s*(?:\|[^{}]*)?\}\}/g)) found.add(match[1] ?? '');
  return [...found];
}

/**
 * The picker's order for what was typed after `/`: names starting with it, then names containing it, then
 * bodies containing it; ties by name. An empty query keeps every reply.
 */
export function filterSavedReplies<T extends { name: string; body: string }>(
  replies: readonly T[],
  query: string,
): T[] {
  const q = query.toLocaleLowerCase();
  const rank = (reply: T): number => {
    if (q === '') return 0;
    const name = reply.name.toLocaleLowerCase();
    if (name.startsWith(q)) return 0;
    if (name.includes(q)) return 1;
    if (reply.body.toLocaleLowerCase().includes(q)) return 2;
    return -1;
  };
  return replies
    .map((reply) => ({ reply, rank: rank(reply) }))
    .filter((entry) => entry.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.reply.name.localeCompare(b.reply.name))
    .map((entry) => entry.reply);
}
