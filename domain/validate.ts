/**
 * Zod, without most of its cost where it checks many rows (an import, a pull page, a push).
 *
 * The extension's worker and pages forbid `new Function` (their content security policy), so zod runs
 * without its compiled fast path there: each field of each row builds a result object and an issue list,
 * and the 142,500 rows of a 100,000-membership backup take about a second. `validate` first asks a plain
 * predicate, built once per schema from the schema itself (closures over its definition, allocating
 * nothing), and returns the input as it is when the predicate accepts it. Only when it says no does zod
 * run, so every error is still zod's own, with its paths and messages.
 *
 * A predicate accepts only what zod accepts unchanged (zod's output equal to its input). It reads the kinds
 * of schema our schemas use (objects, arrays, records, enums, strings, numbers, nullable, optional,
 * discriminated unions) and the common checks directly, runs any other check as zod runs it, and asks zod
 * itself about any other kind (a transform, a pipe, a lazy or plain union), accepting only when zod's
 * output equals the input. Being stricter than zod costs only speed: zod then decides.
 */
import type { z } from 'zod';

type Predicate = (value: unknown) => boolean;
interface Check {
  _zod: { def: Record<string, unknown> & { check: string }; check: (payload: { value: unknown; issues: unknown[] }) => unknown };
}
interface Internals {
  def: Record<string, unknown> & { type: string; checks?: Check[] };
  propValues?: Record<string, Set<unknown>>;
  traits?: Set<string>;
  values?: Set<unknown>;
  optin?: string;
  optout?: string;
}
const internals = (schema: unknown) => (schema as { _zod: Internals })._zod;

const predicates = new WeakMap<object, Predicate>();

/** Zod's `safeParse`, answered without zod when the input is valid as it is (then the input itself is the data). */
export function validate<S extends z.ZodType>(schema: S, input: unknown, params?: Parameters<S['safeParse']>[1]): z.ZodSafeParseResult<z.output<S>> {
  if (predicateOf(schema)(input)) return { success: true, data: input as z.output<S> };
  return schema.safeParse(input, params);
}

/** The predicate of a schema (built on first use, then kept with the schema). */
export function predicateOf(schema: z.ZodType): Predicate {
  let predicate = predicates.get(schema);
  if (!predicate) {
    // A recursive schema (an object whose field holds itself) meets itself while being built: it then
    // gets this stand-in, which calls the finished predicate.
    let built: Predicate | undefined;
    predicates.set(schema, (v) => built!(v));
    predicate = built = mirror(schema) ?? askZod(schema);
    predicates.set(schema, predicate);
  }
  return predicate;
}

/** A kind or check not mirrored here: zod decides, and its output must equal the input. */
function askZod(schema: z.ZodType): Predicate {
  return (value) => {
    const result = schema.safeParse(value);
    return result.success && sameValue(result.data, value);
  };
}

const isPlain = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** Structural equality of JSON-like values (what zod's output is compared with its input by). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (!isPlain(a) || !isPlain(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
}

const all = (checks: Predicate[]): Predicate => (value) => {
  for (const check of checks) if (!check(value)) return false;
  return true;
};

/** The predicate of one schema node, or null when it uses a kind not mirrored here. */
function mirror(schema: z.ZodType): Predicate | null {
  const base = mirrorKind(schema);
  if (!base) return null;
  const { def, traits } = internals(schema);
  const checks: Predicate[] = [base];
  // Some schemas are their own first check (a custom one, a string format such as an ISO date), as zod runs them.
  if (traits?.has('$ZodCheck')) checks.push(mirrorCheck(schema as unknown as Check));
  for (const check of def.checks ?? []) checks.push(mirrorCheck(check));
  return checks.length === 1 ? base : all(checks);
}

/** What a schema's kind allows, before its checks. */
function mirrorKind(schema: z.ZodType): Predicate | null {
  const { def, values } = internals(schema);
  if (def.coerce) return null;
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'null':
      return (v) => v === null;
    case 'unknown':
    case 'any':
      return () => true;
    case 'enum':
    case 'literal':
      return values ? (v) => values.has(v) : null;
    case 'nullable': {
      const inner = predicateOf(def.innerType as z.ZodType);
      return (v) => v === null || inner(v);
    }
    case 'optional': {
      const inner = predicateOf(def.innerType as z.ZodType);
      return (v) => v === undefined || inner(v);
    }
    case 'default': {
      // A value given is the inner schema's; a missing one zod fills in (a change: left to zod).
      const inner = predicateOf(def.innerType as z.ZodType);
      return (v) => v !== undefined && inner(v);
    }
    case 'union':
      return mirrorDiscriminated(def);
    case 'array': {
      const element = predicateOf(def.element as z.ZodType);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      };
    }
    case 'object':
      return mirrorObject(def);
    case 'record': {
      // Only a partial record (any subset of its keys): a full one must hold every key of an enum.
      if (!def.partial && internals(def.keyType).values) return null;
      const key = predicateOf(def.keyType as z.ZodType);
      const value = predicateOf(def.valueType as z.ZodType);
      return (v) => {
        if (!isPlain(v) || Object.getOwnPropertySymbols(v).length) return false;
        for (const k in v) if (k === '__proto__' || !key(k) || !value(v[k])) return false;
        return true;
      };
    }
    case 'custom':
      return () => true; // what it allows is its own check (see mirror)
    default:
      return null;
  }
}

/** A refinement passes on a truthy answer; a promise (an async refinement) is left to zod. */
const refined = (answer: unknown) => !!answer && typeof (answer as { then?: unknown }).then !== 'function';

function mirrorObject(def: Internals['def']): Predicate | null {
  const shape = def.shape as Record<string, z.ZodType>;
  // Strict objects refuse other keys and stripping ones drop them (their output differs): both only without.
  // Loose ones keep them as they are.
  const catchall = def.catchall ? internals(def.catchall).def.type : 'never';
  if (catchall !== 'never' && catchall !== 'unknown' && catchall !== 'any') return null;
  const loose = catchall !== 'never';
  if (Object.getOwnPropertySymbols(shape).length) return null;
  const fields = new Map(
    Object.entries(shape).map(([key, schema]) => {
      const { optin, optout } = internals(schema);
      return [key, { check: predicateOf(schema), required: !(optin === 'optional' && optout === 'optional') }];
    }),
  );
  let required = 0;
  for (const field of fields.values()) if (field.required) required++;
  // One walk over the value's own keys (an object from JSON or a message has no others): each must be a
  // field and hold a valid value, and every required field must be among them.
  return (v) => {
    if (!isPlain(v)) return false;
    let present = 0;
    for (const k in v) {
      const field = fields.get(k);
      if (!field) {
        if (loose && k !== '__proto__') continue;
        return false;
      }
      if (!field.check(v[k])) return false;
      if (field.required) present++;
    }
    return present === required;
  };
}

type Length = { length: number };
/** A check's predicate: the common ones read directly, any other run as zod runs it. */
function mirrorCheck(check: Check): Predicate {
  const { def } = check._zod;
  switch (def.check) {
    case 'max_length': {
      const max = def.maximum as number;
      return (v) => (v as Length).length <= max;
    }
    case 'min_length': {
      const min = def.minimum as number;
      return (v) => (v as Length).length >= min;
    }
    case 'length_equals': {
      const length = def.length as number;
      return (v) => (v as Length).length === length;
    }
    case 'number_format':
      return def.format === 'safeint' ? (v) => Number.isSafeInteger(v) : runCheck(check);
    case 'greater_than': {
      const bound = def.value as number;
      return def.inclusive ? (v) => (v as number) >= bound : (v) => (v as number) > bound;
    }
    case 'less_than': {
      const bound = def.value as number;
      return def.inclusive ? (v) => (v as number) <= bound : (v) => (v as number) < bound;
    }
    case 'string_format': {
      if (def.format !== 'regex') return runCheck(check);
      const pattern = def.pattern as RegExp;
      return (v) => {
        pattern.lastIndex = 0;
        return pattern.test(v as string);
      };
    }
    case 'custom': {
      // A refinement's function takes the value; a superRefine's takes zod's result object.
      const fn = def.fn as ((v: unknown) => unknown) | undefined;
      if (typeof fn === 'function') return (v) => refined(fn(v));
      return runCheck(check);
    }
    default:
      return runCheck(check);
  }
}

/** A check run as zod runs it: it passes when it adds no issue and leaves the value as it was. */
const runCheck = (check: Check): Predicate => (v) => {
  const payload = { value: v, issues: [] as unknown[] };
  const answer = check._zod.check(payload);
  return payload.issues.length === 0 && payload.value === v && !(answer instanceof Promise);
};

/** A discriminated union: the option its discriminator names decides (zod's own rule). */
function mirrorDiscriminated(def: Internals['def']): Predicate | null {
  const discriminator = def.discriminator as string | undefined;
  if (typeof discriminator !== 'string' || def.unionFallback) return null;
  const options = new Map<unknown, Predicate>();
  for (const option of def.options as z.ZodType[]) {
    const values = internals(option).propValues?.[discriminator];
    if (!values) return null;
    for (const value of values) {
      if (options.has(value)) return null;
      options.set(value, predicateOf(option));
    }
  }
  return (v) => {
    if (!isPlain(v)) return false;
    const option = options.get(v[discriminator]);
    return !!option && option(v);
  };
}
