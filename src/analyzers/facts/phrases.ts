/**
 * Words for messages: how to name a loop or the collection it walks, and a word's singular or
 * plural, so that every rule says "for every item of `orders`" the same way.
 */
import { skipParens } from './ast';
import type { FileFacts } from './fileFacts';
import type { Iteration } from './loops';

/** Source text on one line, cut to `max` characters. */
export function compact(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function collectionText(iteration: Iteration, file: FileFacts): string | undefined {
  return iteration.collection ? compact(file.textOf(skipParens(iteration.collection))) : undefined;
}

/** What one pass is, after "every": "item of `orders`", "key of `map`", "pass of the `while` loop". */
export function eachPass(iteration: Iteration, file: FileFacts): string {
  const collection = collectionText(iteration, file);
  switch (iteration.kind) {
    case 'for-of':
      return collection ? `item of \`${collection}\`` : 'pass of the loop';
    case 'for-in':
      return collection ? `key of \`${collection}\`` : 'pass of the loop';
    case 'callback':
      if (iteration.method === 'sort' || iteration.method === 'toSorted')
        return collection ? `comparison while sorting \`${collection}\`` : 'comparison of the sort';
      return collection ? `item of \`${collection}\` (in the \`${iteration.method}\` callback)` : 'call of the callback';
    default:
      // An index walk (`for (let i = 0; i < orders.length; i++)`) is a walk over the list's items.
      return collection && iteration.counter ? `item of \`${collection}\`` : `pass of the \`${iteration.kind}\` loop`;
  }
}

/** The loop as a noun: "the loop over `orders`", "the `map` callback over `orders`", "the `while` loop". */
export function loopNoun(iteration: Iteration, file: FileFacts): string {
  const collection = collectionText(iteration, file);
  if (iteration.kind === 'callback') return collection ? `the \`${iteration.method}\` callback over \`${collection}\`` : 'the callback';
  if (collection) return `the loop over \`${collection}\``;
  return `the \`${iteration.kind}\` loop`;
}

/** `orders` → `order`, `categories` → `category`, `orderIds` → `orderId`; undefined when the word is not a plural. */
export function singular(word: string): string | undefined {
  if (/[^aeiou]ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ches|shes|sses|xes|zes)$/i.test(word)) return word.slice(0, -2);
  if (/[^s]s$/i.test(word) && word.length > 2) return word.slice(0, -1);
  return undefined;
}

/** `customer` → `customers`. */
export function plural(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return /s$/i.test(word) && singular(word) ? word : `${word}es`;
  return `${word}s`;
}
