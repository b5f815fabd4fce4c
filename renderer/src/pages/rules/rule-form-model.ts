import type { RuleBody, RuleView } from '../../../../shared/contract';
import { RuleSchema } from '../../../../shared/rules/index';
import type {
  Conditions,
  KeywordMode,
  QuickReply,
  Rule,
  RuleEventType,
  RuleResponse,
} from '../../../../shared/rules/index';

export type TriggerKind = 'keyword' | 'pattern' | 'intent';

/** The editor's working state: plain fields the inputs bind to; `toBody` turns it into a rule. */
export interface RuleForm {
  /** Null for a new rule. */
  id: string | null;
  name: string;
  isActive: boolean;
  isFallback: boolean;
  priority: number;
  position: number;
  trigger: TriggerKind;
  keywords: string[];
  keywordMode: KeywordMode;
  pattern: string;
  ignoreCase: boolean;
  intent: string;
  threshold: number;
  eventTypes: RuleEventType[];
  firstMessageOnly: boolean;
  businessHours: 'any' | 'open' | 'closed';
  /** Text inputs, kept as typed so "1.5" or "abc" reaches the schema and its message. */
  cooldownPerPersonMinutes: string;
  cooldownPerAccountMinutes: string;
  /** Empty = the account's pause. */
  humanPauseMinutes: string;
  labelsAny: string[];
  labelsNone: string[];
  variants: string[];
  rotation: 'round_robin' | 'random';
  quickReplies: QuickReply[];
  /** Fields the form does not edit, kept as they are (custom opening hours, saved templates…). */
  keptConditions: Conditions;
  savedTemplate: Extract<RuleResponse, { kind: 'saved_template' }> | null;
}

export const EVENT_TYPE_LABELS: Record<RuleEventType, string> = {
  dm: 'Direct message',
  story_mention: 'Story mention',
  story_reply: 'Story reply',
  comment: 'Comment',
  postback: 'Button (postback)',
  quick_reply: 'Quick reply tap',
  referral: 'Referral (ad or link)',
};

export const KEYWORD_MODE_LABELS: Record<KeywordMode, string> = {
  word: 'Whole word',
  contains: 'Contains',
  exact: 'Exact message',
  starts_with: 'Starts with',
};

export function emptyForm(priority: number, position: number): RuleForm {
  return {
    id: null,
    name: '',
    isActive: true,
    isFallback: false,
    priority,
    position,
    trigger: 'keyword',
    keywords: [],
    keywordMode: 'word',
    pattern: '',
    ignoreCase: true,
    intent: '',
    threshold: 0.5,
    eventTypes: ['dm'],
    firstMessageOnly: false,
    businessHours: 'any',
    cooldownPerPersonMinutes: '',
    cooldownPerAccountMinutes: '',
    humanPauseMinutes: '',
    labelsAny: [],
    labelsNone: [],
    variants: [''],
    rotation: 'round_robin',
    quickReplies: [],
    keptConditions: {},
    savedTemplate: null,
  };
}

function minutesText(seconds: number | undefined): string {
  return seconds === undefined ? '' : String(seconds / 60);
}

/** The form for a stored rule. */
export function formFromRule(
  view: Pick<RuleView, 'id' | 'name' | 'priority' | 'isActive' | 'rule'>,
): RuleForm {
  const base = emptyForm(view.priority, 0);
  const rule: Rule | null = view.rule;
  if (!rule) return { ...base, id: view.id, name: view.name, isActive: view.isActive };
  const { eventTypes, firstMessageOnly, businessHours, cooldown, labels, humanPauseMinutes, ...kept } =
    rule.conditions;
  const keptConditions: Conditions = { ...kept };
  if (businessHours?.hours || businessHours?.timezone) keptConditions.businessHours = { ...businessHours };
  if (labels?.all) keptConditions.labels = { all: labels.all };
  const trigger = rule.trigger;
  return {
    ...base,
    id: rule.id,
    name: rule.name,
    isActive: rule.isActive,
    isFallback: rule.isFallback,
    priority: rule.priority,
    position: rule.position,
    trigger: trigger?.type ?? 'keyword',
    keywords: trigger?.type === 'keyword' ? [...trigger.keywords] : [],
    keywordMode: trigger?.type === 'keyword' ? trigger.mode : 'word',
    pattern: trigger?.type === 'pattern' ? trigger.pattern : '',
    ignoreCase: trigger?.type === 'pattern' ? trigger.flags.includes('i') : true,
    intent: trigger?.type === 'intent' ? trigger.intent : '',
    threshold: trigger?.type === 'intent' ? trigger.threshold : 0.5,
    eventTypes: eventTypes ?? ['dm'],
    firstMessageOnly: firstMessageOnly ?? false,
    businessHours: businessHours ? businessHours.when : 'any',
    cooldownPerPersonMinutes: minutesText(cooldown?.perPersonSeconds),
    cooldownPerAccountMinutes: minutesText(cooldown?.perAccountSeconds),
    humanPauseMinutes: humanPauseMinutes === undefined ? '' : String(humanPauseMinutes),
    labelsAny: labels?.any ?? [],
    labelsNone: labels?.none ?? [],
    variants: rule.response.kind === 'text' ? [...rule.response.variants] : [''],
    rotation: rule.response.kind === 'text' ? rule.response.rotation : 'round_robin',
    quickReplies: rule.response.kind === 'text' ? rule.response.quickReplies.map((q) => ({ ...q })) : [],
    keptConditions,
    savedTemplate: rule.response.kind === 'saved_template' ? rule.response : null,
  };
}

/** A number typed in a box: empty → undefined, otherwise Number (NaN reaches the schema's message). */
function typedNumber(text: string, factor = 1): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text.replace(',', '.'));
  return Number.isFinite(value) ? Math.round(value * factor * 1000) / 1000 : Number.NaN;
}

/** The rule the form describes, as the contract takes it (id included for a new rule chosen offline). */
export function toBody(form: RuleForm): RuleBody {
  const conditions: Record<string, unknown> = { ...form.keptConditions };
  const sortedTypes = Object.keys(EVENT_TYPE_LABELS).filter((t) =>
    form.eventTypes.includes(t as RuleEventType),
  );
  if (!(sortedTypes.length === 1 && sortedTypes[0] === 'dm')) conditions.eventTypes = sortedTypes;
  if (form.firstMessageOnly) conditions.firstMessageOnly = true;
  if (form.businessHours !== 'any')
    conditions.businessHours = { ...form.keptConditions.businessHours, when: form.businessHours };
  else delete conditions.businessHours;
  const perPerson = typedNumber(form.cooldownPerPersonMinutes, 60);
  const perAccount = typedNumber(form.cooldownPerAccountMinutes, 60);
  if (perPerson !== undefined || perAccount !== undefined)
    conditions.cooldown = {
      ...(perPerson !== undefined ? { perPersonSeconds: perPerson } : {}),
      ...(perAccount !== undefined ? { perAccountSeconds: perAccount } : {}),
    };
  const pause = typedNumber(form.humanPauseMinutes);
  if (pause !== undefined) conditions.humanPauseMinutes = pause;
  const labels: Record<string, string[]> = { ...form.keptConditions.labels };
  if (form.labelsAny.length > 0) labels.any = form.labelsAny;
  if (form.labelsNone.length > 0) labels.none = form.labelsNone;
  if (Object.keys(labels).length > 0) conditions.labels = labels;

  const trigger =
    form.isFallback && form.trigger === 'keyword' && form.keywords.length === 0
      ? undefined
      : form.trigger === 'keyword'
        ? { type: 'keyword', keywords: form.keywords, mode: form.keywordMode }
        : form.trigger === 'pattern'
          ? { type: 'pattern', pattern: form.pattern, flags: form.ignoreCase ? 'i' : '' }
          : { type: 'intent', intent: form.intent, threshold: form.threshold };

  const response = form.savedTemplate ?? {
    kind: 'text',
    variants: form.variants,
    rotation: form.rotation,
    quickReplies: form.quickReplies,
  };
  return {
    name: form.name,
    priority: form.priority,
    position: form.position,
    isActive: form.isActive,
    isFallback: form.isFallback,
    ...(trigger ? { trigger } : {}),
    conditions,
    response,
  };
}

/** The form for a rule body kept on this computer (an edit not yet in the database). */
export function formFromBody(id: string, body: RuleBody, fallback: RuleForm): RuleForm {
  const parsed = RuleSchema.safeParse({ ...body, id, accountId: 'account' });
  if (!parsed.success) return fallback;
  const rule = parsed.data;
  return formFromRule({ id, name: rule.name, priority: rule.priority, isActive: rule.isActive, rule });
}

/** Field path (dot-joined) → first message, from the engine's own schema. */
export type FormErrors = Map<string, string>;

/** Validates the form with the shared schema (the same one the core uses), offline. */
export function validateForm(
  form: RuleForm,
  intents: readonly string[] | null,
): { errors: FormErrors; all: string[] } {
  const errors: FormErrors = new Map();
  const all: string[] = [];
  const parsed = RuleSchema.safeParse({ id: form.id ?? 'new-rule', accountId: 'account', ...toBody(form) });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      if (!errors.has(path)) errors.set(path, issue.message);
      all.push(path ? `${fieldLabel(path)}: ${issue.message}` : issue.message);
    }
  }
  if (form.trigger === 'intent' && form.intent && intents && !intents.includes(form.intent)) {
    const message = `The account has no intent "${form.intent}": add it below or choose another`;
    errors.set('trigger.intent', message);
    all.push(`Intent: ${message}`);
  }
  return { errors, all };
}

/** First error at `path` or under it (e.g. `trigger.keywords` covers `trigger.keywords.3`). */
export function errorAt(errors: FormErrors, path: string): string | undefined {
  const exact = errors.get(path);
  if (exact) return exact;
  for (const [key, message] of errors) if (key.startsWith(`${path}.`)) return message;
  return undefined;
}

function fieldLabel(path: string): string {
  if (path.startsWith('trigger.keywords')) return 'Keywords';
  if (path.startsWith('trigger.pattern')) return 'Pattern';
  if (path.startsWith('trigger.intent')) return 'Intent';
  if (path.startsWith('trigger')) return 'Trigger';
  if (path.startsWith('response.variants')) return `Reply ${Number(path.split('.')[2] ?? 0) + 1}`;
  if (path.startsWith('response.quickReplies')) return 'Quick replies';
  if (path.startsWith('response')) return 'Reply';
  if (path.startsWith('conditions')) return 'Conditions';
  if (path === 'name') return 'Name';
  if (path === 'priority') return 'Priority';
  return path;
}

/** Priority for a new rule: below every existing rule (it goes to the end of the list). */
export function nextPriority(rules: readonly RuleView[]): number {
  if (rules.length === 0) return 100;
  return Math.min(...rules.map((r) => r.priority)) - 10;
}
