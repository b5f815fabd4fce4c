/**
 * Turns a rule's response into what the outbox queues, checking Graph limits first: a reply Instagram
 * would refuse is stopped here with a reason staff can act on, not failed later by the sender.
 */
import type { QuickReply, RuleResponse } from './schema';
import { GRAPH_LIMITS } from './schema';
import { codePointLength, utf8ByteLength } from './normalize';
import type { TemplatePart, TemplateValues } from './template';
import { fillTemplate, parseTemplate } from './template';

/** A reply ready for the outbox. */
export type RenderedResponse =
  | { kind: 'text'; text: string; quickReplies: QuickReply[]; variantIndex: number }
  | { kind: 'send_template'; templateId: string; params: Record<string, string> };

/** Why a reply cannot be sent as it is. */
export interface RenderError {
  code:
    | 'text_empty'
    | 'text_too_long'
    | 'too_many_quick_replies'
    | 'quick_reply_title_too_long'
    | 'template_invalid';
  message: string;
}

/** Result type used across the engine: errors are data, never thrown. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** A response with its templates parsed once at compile time. */
export type CompiledResponse =
  | {
      kind: 'text';
      variants: TemplatePart[][];
      rotation: 'round_robin' | 'random';
      quickReplies: QuickReply[];
    }
  | { kind: 'saved_template'; savedTemplateId: string; params: Array<[string, TemplatePart[]]> };

/** Parses every template of a response; the first syntax problem is returned as an error. */
export function compileResponse(response: RuleResponse): Result<CompiledResponse, RenderError> {
  const parse = (source: string): TemplatePart[] | RenderError => {
    const parsed = parseTemplate(source);
    return parsed.ok
      ? parsed.parts
      : { code: 'template_invalid', message: parsed.problems.map((p) => p.message).join('; ') };
  };
  if (response.kind === 'text') {
    const variants: TemplatePart[][] = [];
    for (const source of response.variants) {
      const parts = parse(source);
      if (!Array.isArray(parts)) return { ok: false, error: parts };
      variants.push(parts);
    }
    return {
      ok: true,
      value: { kind: 'text', variants, rotation: response.rotation, quickReplies: response.quickReplies },
    };
  }
  const params: Array<[string, TemplatePart[]]> = [];
  for (const [key, source] of Object.entries(response.params)) {
    const parts = parse(source);
    if (!Array.isArray(parts)) return { ok: false, error: parts };
    params.push([key, parts]);
  }
  return { ok: true, value: { kind: 'saved_template', savedTemplateId: response.savedTemplateId, params } };
}

/** 32-bit FNV-1a, then one mulberry32 round: a stable, well-spread number from any seed string. */
export function seededUnit(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i += 1) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  let t = (hash + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** How to pick a variant: round robin uses how often the rule answered this person; random uses the seed. */
export interface VariantChoice {
  answeredCount?: number;
  seed?: string;
}

/** Checks the Graph limits of a text reply (instagram-api.md §5.3). */
export function checkTextLimits(text: string, quickReplies: readonly QuickReply[]): RenderError | null {
  if (text.trim() === '')
    return {
      code: 'text_empty',
      message:
        'The reply is empty once variables are filled: add text or a fallback, e.g. {{name | "there"}}',
    };
  const bytes = utf8ByteLength(text);
  if (bytes > GRAPH_LIMITS.textBytes) {
    return {
      code: 'text_too_long',
      message: `The reply is ${bytes} bytes; Instagram accepts at most ${GRAPH_LIMITS.textBytes} (UTF-8): shorten it`,
    };
  }
  if (quickReplies.length > GRAPH_LIMITS.quickReplies) {
    return {
      code: 'too_many_quick_replies',
      message: `${quickReplies.length} quick replies; Instagram allows at most ${GRAPH_LIMITS.quickReplies}`,
    };
  }
  for (const reply of quickReplies) {
    const length = codePointLength(reply.title);
    if (length > GRAPH_LIMITS.quickReplyTitleChars) {
      return {
        code: 'quick_reply_title_too_long',
        message: `Quick reply "${reply.title}" is ${length} characters; Instagram cuts titles after ${GRAPH_LIMITS.quickReplyTitleChars}`,
      };
    }
  }
  return null;
}

/** Renders a compiled response. Never throws. */
export function renderCompiledResponse(
  response: CompiledResponse,
  values: TemplateValues,
  choice: VariantChoice = {},
): Result<RenderedResponse, RenderError> {
  if (response.kind === 'saved_template') {
    const params: Record<string, string> = {};
    for (const [key, parts] of response.params) params[key] = fillTemplate(parts, values);
    return { ok: true, value: { kind: 'send_template', templateId: response.savedTemplateId, params } };
  }
  const count = response.variants.length;
  const index =
    response.rotation === 'random'
      ? Math.floor(seededUnit(choice.seed ?? '') * count)
      : (((choice.answeredCount ?? 0) % count) + count) % count;
  const text = fillTemplate(response.variants[index] ?? [], values);
  const problem = checkTextLimits(text, response.quickReplies);
  if (problem) return { ok: false, error: problem };
  return {
    ok: true,
    value: { kind: 'text', text, quickReplies: response.quickReplies, variantIndex: index },
  };
}

/**
 * Renders a rule's response with the given values: picks a variant, fills variables and checks Graph
 * limits (text ≤ 1,000 UTF-8 bytes, ≤ 13 quick replies, titles ≤ 20 characters). Never throws.
 */
export function renderResponse(
  response: RuleResponse,
  values: TemplateValues,
  choice: VariantChoice = {},
): Result<RenderedResponse, RenderError> {
  const compiled = compileResponse(response);
  if (!compiled.ok) return compiled;
  return renderCompiledResponse(compiled.value, values, choice);
}
