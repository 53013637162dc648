/**
 * A rule's messages in SARIF's form (§3.11.5, §3.11.7): `rule.messageStrings` holds each message,
 * as `message.text` shows it (`sarifText`: the message, then the note), by its message id, with
 * `{0}`, `{1}`… for our `{{name}}` placeholders and literal braces doubled; a result's `message.id`
 * names its template and `message.arguments` fill it, so a consumer that looks the message up
 * renders the same text as `message.text`.
 */
import type { MessageData } from '../../analyzers/finding';
import { MESSAGE_PLACEHOLDER, type Rule, type RuleMessage } from '../../analyzers/rule';

/**
 * SARIF's one string for a message and its note: viewers show the first sentence where space is
 * short, and all of it otherwise, so the note (what to do) follows the message (what and why).
 * Used for the filled text and for the templates alike, so the two cannot drift apart.
 */
export function sarifText(message: string, note: string | undefined): string {
  return note === undefined ? message : `${message} ${note}`;
}

interface SarifTemplate {
  text: string;
  /** The placeholder behind each argument index, as the template writes it and by name. */
  placeholders: Array<{ written: string; name: string }>;
}

function sarifTemplate(template: string): SarifTemplate {
  const placeholders: SarifTemplate['placeholders'] = [];
  const escape = (literal: string): string => literal.replace(/[{}]/g, (brace) => brace + brace);
  let text = '';
  let last = 0;
  for (const match of template.matchAll(MESSAGE_PLACEHOLDER)) {
    let index = placeholders.findIndex((placeholder) => placeholder.written === match[0]);
    if (index < 0) index = placeholders.push({ written: match[0], name: match[1] }) - 1;
    text += `${escape(template.slice(last, match.index))}{${index}}`;
    last = match.index + match[0].length;
  }
  return { text: text + escape(template.slice(last)), placeholders };
}

function ruleTemplate(message: RuleMessage): SarifTemplate {
  return sarifTemplate(sarifText(message.message, message.note));
}

export function messageStrings(rule: Rule): Record<string, { text: string }> {
  return Object.fromEntries(Object.entries(rule.meta.messages).map(([id, message]) => [id, { text: ruleTemplate(message).text }]));
}

/** The strings that fill message `messageId` of `rule`; a placeholder `data` lacks stays as written, as in `renderMessage`. */
export function messageArguments(rule: Rule, messageId: string, data: MessageData): string[] {
  const message = rule.meta.messages[messageId];
  if (message === undefined) return [];
  return ruleTemplate(message).placeholders.map(({ written, name }) => (name in data ? String(data[name]) : written));
}
