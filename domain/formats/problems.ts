/**
 * Human messages for bad files: zod issues as `path: problem` lines (`committees[3].members[7].stage:
 * unknown value "closing", expected one of …`) and the position of a JSON syntax error.
 */
import type { z } from 'zod';

/** `committees[3].members[7].stage`; the root is `(file)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const name = String(part);
      out += /^[A-Za-z_$][\w$]*$/.test(name) ? (out ? `.${name}` : name) : `[${JSON.stringify(name)}]`;
    }
  }
  return out || '(file)';
}

/** A value as quoted in a message, cut short when long. */
export function show(value: unknown): string {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  return { string: 'text', boolean: 'true/false', object: 'an object' }[typeof value as string] ?? typeof value;
}
const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  null: 'null',
};

function problem(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'missing field';
      return `wrong type: expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${typeName(issue.input)} ${show(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `unknown value ${show(issue.input)}, expected ${show(issue.values[0])}`
        : `unknown value ${show(issue.input)}, expected one of ${issue.values.map((v) => show(v)).join(', ')}`;
    case 'too_big':
      if (issue.origin === 'string') return `too long: at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `too many items: at most ${issue.maximum}`;
      return `too large: at most ${issue.maximum}`;
    case 'too_small':
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `too short: at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `too few items: at least ${issue.minimum}`;
      return `too small: at least ${issue.minimum}`;
    case 'invalid_format':
      return `not a valid ${issue.format === 'datetime' ? 'ISO 8601 UTC time' : issue.format}: ${show(issue.input)}`;
    case 'invalid_union': {
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator && options)
        return `unknown value ${show((issue.input as Record<string, unknown> | undefined)?.[discriminator])}, expected one of ${options.map((v) => show(v)).join(', ')}`;
      return `not a valid value: ${show(issue.input)}`;
    }
    case 'custom':
      return typeof issue.input === 'string' ? `${issue.message}: ${show(issue.input)}` : issue.message;
    default:
      return issue.message;
  }
}

/** Every issue as one or more `path: problem` lines (an unknown field is reported at its own path). */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const { path } = issue;
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) lines.push(`${formatPath([...path, key])}: unknown field`);
    else lines.push(`${formatPath(path)}: ${problem(issue)}`);
  }
  return lines;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/**
 * Where JSON text stops being valid and why; null when it is valid. Iterative (no recursion), so a
 * deeply nested file cannot overflow the stack. Used only after JSON.parse fails, to name the position
 * the same way in every browser.
 */
export function jsonSyntaxError(text: string): { offset: number; problem: string } | null {
  const closers: string[] = [];
  let i = 0;
  let state: 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'after' = 'value';
  const cutOff = () => ({ offset: text.length, problem: 'the file ends too early (is it cut off?)' });
  /** Scan the string starting at i; null when it is well formed (i then points past it). */
  const string = (): { offset: number; problem: string } | null => {
    for (let j = i + 1; j < text.length; j++) {
      const ch = text.charCodeAt(j);
      if (ch === 0x22) {
        i = j + 1;
        return null;
      }
      if (ch < 0x20) return { offset: j, problem: 'a line break or control character inside text (write it as \\n, \\t …)' };
      if (ch !== 0x5c) continue;
      const esc = text[j + 1];
      if (esc === undefined) break;
      if (esc === 'u') {
        const hex = text.slice(j + 2, j + 6);
        if (!/^[0-9a-fA-F]*$/.test(hex)) return { offset: j, problem: 'a bad \\u escape inside text' };
        if (hex.length < 4) break;
        j += 5;
      } else if ('"\\/bfnrt'.includes(esc)) j++;
      else return { offset: j, problem: `a bad escape \\${esc} inside text` };
    }
    return cutOff();
  };
  const match = (re: RegExp) => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
    if (i >= text.length) {
      if (state === 'after' && closers.length === 0) return null;
      return cutOff();
    }
    const c = text[i]!;
    if (state === 'after') {
      const close = closers[closers.length - 1];
      if (!close) return { offset: i, problem: 'unexpected text after the end of the data' };
      if (c === close) {
        closers.pop();
        i++;
      } else if (c === ',') {
        i++;
        state = close === '}' ? 'key' : 'value';
      } else return { offset: i, problem: `expected ',' or '${close}', found ${show(c)}` };
      continue;
    }
    if (state === 'keyOrClose' || state === 'key') {
      if (state === 'keyOrClose' && c === '}') {
        closers.pop();
        i++;
        state = 'after';
        continue;
      }
      if (c !== '"') return { offset: i, problem: 'expected a field name in double quotes' };
      const bad = string();
      if (bad) return bad;
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (i >= text.length) return cutOff();
      if (text[i] !== ':') return { offset: i, problem: "expected ':' after the field name" };
      i++;
      state = 'value';
      continue;
    }
    if (state === 'valueOrClose' && c === ']') {
      closers.pop();
      i++;
      state = 'after';
    } else if (c === '{') {
      closers.push('}');
      i++;
      state = 'keyOrClose';
    } else if (c === '[') {
      closers.push(']');
      i++;
      state = 'valueOrClose';
    } else if (c === '"') {
      const bad = string();
      if (bad) return bad;
      state = 'after';
    } else if (match(NUMBER) || match(LITERAL)) state = 'after';
    else if (text.length - i < 6 && ['true', 'false', 'null', '-'].some((w) => w.startsWith(text.slice(i))))
      return cutOff();
    else return { offset: i, problem: `unexpected ${show(c)} where a value should be` };
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
