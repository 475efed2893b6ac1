/**
 * `validate` answers for zod without running it when the input is valid as it is. Its predicates must never
 * accept what zod would refuse or change: checked here on the product's schemas and on one that uses every
 * kind, each with thousands of near-valid inputs.
 */
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { backupFileSchema, serializeBackup } from '../../domain/formats/backup';
import { membershipKey, TABLE_FIELDS, TABLE_PATCH } from '../../domain/model';
import { mutationSchema } from '../../domain/mutations';
import { PROTOCOL, requestSchema } from '../../domain/protocol';
import { predicateOf, validate } from '../../domain/validate';
import { pullResponseSchema, pushRequestSchema } from '../../server/protocol';
import { sampleStore, sf } from './formats/fixtures';

function seeded(seed: number) {
  return (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % Math.max(1, n));
}
type Random = ReturnType<typeof seeded>;

const clone = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(clone);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
};

const ACCOUNT = sf('account', 1);
const PERSON = sf('contact', 1);
/** Values that are valid somewhere and wrong elsewhere, and values wrong everywhere (made afresh for each use). */
const odd = (random: Random): unknown => {
  const values: unknown[] = [
  null, undefined, '', ' padded ', 'x'.repeat(101), 'x'.repeat(501), 'x'.repeat(10_001), -1, 0, 1, 1.5, NaN, Infinity, 2 ** 53, true,
  [], {}, new Date(0), new Map(), Object.create(null), ['user'], ['user', 'user'], ['nobody'], 'decision_maker', 'evaluation', 'champion',
  'high', 'verified', 'put', 'delete', 'memberships', 'notes', ACCOUNT, PERSON, membershipKey(ACCOUNT, PERSON), `${ACCOUNT}x`, 'note-0001',
  { stance: 1 }, { stance: -1 }, { sold_internally: 5 }, { nobody: 5 }, JSON.parse('{"__proto__": 1}'),
  ];
  return values[random(values.length)];
};

/** Every place in a value (an object's key or an array's index), with its parent. */
function places(v: unknown, out: { parent: Record<string | number, unknown>; key: string | number }[] = []) {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push({ parent: v as unknown as Record<number, unknown>, key: i }), places(x, out)));
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.push({ parent: v as Record<string, unknown>, key: k });
      places(x, out);
    }
  return out;
}

/** A copy of a valid value with one or two edits: a value replaced (by an odd one or one from elsewhere in it), a key removed or added, an element doubled. */
function nearly(valid: unknown, random: Random): unknown {
  const root = { value: clone(valid) };
  for (let edits = random(2); edits >= 0; edits--) {
    const all = places(root);
    const { parent, key } = all[random(all.length)]!;
    const target = parent[key];
    switch (random(6)) {
      case 0:
        if (parent === root) parent[key] = odd(random);
        else if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
        break;
      case 1:
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[random(2) ? 'extra' : 'updatedAt'] = odd(random);
        else parent[key] = odd(random);
        break;
      case 2:
        if (Array.isArray(target) && target.length) target.push(clone(target[0]));
        else parent[key] = odd(random);
        break;
      case 3:
        if (target !== null && typeof target === 'object' && !Array.isArray(target))
          Object.defineProperty(target, '__proto__', { value: {}, enumerable: true, configurable: true, writable: true });
        else parent[key] = odd(random);
        break;
      case 4: {
        // a value from another place of the valid one (often valid here too)
        const from = places({ value: valid });
        const other = from[random(from.length)]!;
        parent[key] = clone(other.parent[other.key]);
        break;
      }
      default:
        parent[key] = odd(random);
    }
  }
  return root.value;
}

/** Accepting means zod accepts too, with the input unchanged; refusing hands the input to zod, whose answer is returned. */
function expectFaithful(schema: z.ZodType, valid: unknown, runs = 1500) {
  const random = seeded(11);
  let accepted = 0;
  let refused = 0;
  expect(predicateOf(schema)(valid)).toBe(true);
  for (let i = 0; i < runs; i++) {
    const input = nearly(valid, random);
    const zod = schema.safeParse(input);
    if (predicateOf(schema)(input)) {
      accepted++;
      expect(zod.success, JSON.stringify(input)).toBe(true);
      expect(zod.data).toStrictEqual(input);
      expect(validate(schema, input)).toEqual({ success: true, data: input });
    } else {
      refused++;
      expect(validate(schema, input)).toEqual(zod);
    }
  }
  // Both answers were compared, many times each.
  expect(accepted).toBeGreaterThan(runs / 100);
  expect(refused).toBeGreaterThan(runs / 10);
}

const member = {
  accountKey: ACCOUNT,
  roles: ['decision_maker', 'champion'],
  stage: 'evaluation',
  stance: null,
  authority: 'claimed',
  influence: 'high',
  evidence: { sold_internally: 3 },
  verified: { stance: 4 },
};

describe('validate: the product schemas', () => {
  it('a membership, whole and as a patch', () => {
    expectFaithful(TABLE_FIELDS.memberships, member);
    expectFaithful(TABLE_PATCH.memberships, { roles: ['user'], stance: 'skeptical' });
  });

  it('a note and a person', () => {
    expectFaithful(TABLE_FIELDS.notes, { contactKey: PERSON, committeeKey: null, text: 'Signs above 50k', author: 'rep', createdAt: 4 });
    expectFaithful(TABLE_FIELDS.contacts, { name: 'Dana', title: 'CEO', email: '', accountKey: ACCOUNT, department: '', reportsTo: null, win: '' });
  });

  it('mutations (a discriminated union with a refinement that runs other schemas), and a push of them', () => {
    const put = { name: 'put', table: 'memberships', key: membershipKey(ACCOUNT, PERSON), fields: { roles: ['user'], stage: 'loyalty' }, at: 5 };
    expectFaithful(mutationSchema, put);
    expectFaithful(mutationSchema, { name: 'delete', table: 'notes', key: 'note-0001', at: 5, by: 'rep' });
    expectFaithful(pushRequestSchema, { clientId: 'client-0001', mutations: [{ id: 1, mutation: put }, { id: 2, mutation: { ...put, at: 6 } }] }, 600);
  });

  it('a pull reply and a request envelope', () => {
    const row = { table: 'memberships', key: membershipKey(ACCOUNT, PERSON), row: { key: membershipKey(ACCOUNT, PERSON), ...member, updatedAt: 1, changed: {} }, version: 3 };
    expectFaithful(pullResponseSchema, { rows: [row, { ...row, version: 4 }], cursor: 4, hasMore: false, reset: false }, 600);
    expectFaithful(requestSchema, { channel: 'committee-lens', type: 'panel.load', payload: { key: PERSON, accountKey: ACCOUNT } });
    expectFaithful(PROTOCOL['panel.load'].payload, { key: ACCOUNT });
  });

  it('a whole backup file, and zod is not run for a valid one', () => {
    const file = JSON.parse(serializeBackup(sampleStore().data(), { exportedAt: new Date(0) }));
    expectFaithful(backupFileSchema, file, 600);
    const zod = vi.spyOn(backupFileSchema, 'safeParse');
    expect(validate(backupFileSchema, file).data).toBe(file);
    expect(zod).not.toHaveBeenCalled();
    zod.mockRestore();
  });
});

describe('validate: every kind of schema', () => {
  const everything = z.strictObject({
    text: z.string().min(1).max(100),
    code: z.string().regex(/^[a-z]+$/),
    trimmed: z.string().trim(),
    when: z.iso.datetime(),
    count: z.number().int().nonnegative().max(1000),
    ratio: z.number().positive().lt(2),
    flag: z.boolean(),
    maybe: z.string().nullable(),
    absent: z.string().optional(),
    withDefault: z.string().default('x'),
    kind: z.enum(['user', 'champion']),
    fixed: z.literal('committee-lens'),
    list: z.array(z.enum(['user', 'champion'])).min(1).max(2).refine((l) => new Set(l).size === l.length),
    partial: z.partialRecord(z.enum(['stance', 'sold_internally']), z.number()),
    full: z.record(z.enum(['stance', 'updatedAt']), z.number()),
    open: z.record(z.string(), z.unknown()),
    stripped: z.object({ a: z.number() }),
    loose: z.looseObject({ a: z.number() }),
    either: z.union([z.string(), z.number()]),
    tagged: z.discriminatedUnion('name', [z.strictObject({ name: z.literal('put'), at: z.number() }), z.strictObject({ name: z.literal('delete') })]),
    json: z.json(),
    custom: z.custom<number>((v) => typeof v === 'number' && v % 2 === 0),
    shouted: z.string().transform((s) => s.toUpperCase()),
    checked: z.strictObject({ a: z.number(), b: z.number() }).superRefine((o, ctx) => {
      if (o.a > o.b) ctx.addIssue({ code: 'custom', message: 'a above b' });
    }),
  });
  const valid = {
    text: 'hi',
    code: 'abc',
    trimmed: 'no spaces',
    when: '2026-01-01T00:00:00.000Z',
    count: 3,
    ratio: 1.5,
    flag: false,
    maybe: null,
    withDefault: 'given',
    kind: 'user',
    fixed: 'committee-lens',
    list: ['user'],
    partial: { stance: 1 },
    full: { stance: 1, updatedAt: 2 },
    open: { anything: [1, 'two'] },
    stripped: { a: 1 },
    loose: { a: 1, b: 'kept' },
    either: 'one',
    tagged: { name: 'put', at: 1 },
    json: { a: [1, null, 'x'] },
    custom: 2,
    shouted: 'LOUD',
    checked: { a: 1, b: 2 },
  };

  it('accepts only what zod accepts unchanged', () => {
    expectFaithful(everything, valid, 4000);
  });

  it('refuses what zod would change, and zod then gives its own output', () => {
    for (const [field, value, output] of [
      ['trimmed', ' padded ', 'padded'],
      ['shouted', 'quiet', 'QUIET'],
      ['stripped', { a: 1, b: 2 }, { a: 1 }],
    ] as const) {
      const input = { ...valid, [field]: value };
      expect(predicateOf(everything)(input)).toBe(false);
      const result = validate(everything, input);
      expect(result.success && result.data[field as keyof typeof result.data]).toEqual(output);
    }
    const { withDefault: _, ...defaulted } = valid;
    for (const input of [defaulted, { ...valid, withDefault: undefined }]) {
      expect(predicateOf(everything)(input)).toBe(false);
      expect(validate(everything, input).data?.withDefault).toBe('x');
    }
  });

  it('a recursive schema', () => {
    const node: z.ZodType = z.strictObject({
      name: z.string().max(10),
      get children() {
        return z.array(node).max(3);
      },
    });
    expectFaithful(node, { name: 'root', children: [{ name: 'a', children: [] }, { name: 'b', children: [{ name: 'c', children: [] }] }] });
  });

  it('refuses values that only look like plain objects, and keys zod would drop', () => {
    expect(predicateOf(TABLE_PATCH.memberships)(new Date(0))).toBe(false);
    expect(predicateOf(TABLE_PATCH.memberships)(JSON.parse('{"__proto__": {"roles": ["user"]}}'))).toBe(false);
    expect(predicateOf(TABLE_PATCH.memberships)(Object.assign(Object.create(null), { roles: ['user'] }))).toBe(true);
    expect(predicateOf(TABLE_FIELDS.memberships)({ ...member, evidence: { [Symbol('x')]: 1 } })).toBe(false);
    const open = z.record(z.string(), z.unknown());
    const own = JSON.parse('{"__proto__": 1, "a": 2}');
    expect(predicateOf(open)(own)).toBe(false);
    expect(validate(open, own).data).toStrictEqual({ a: 2 });
  });
});
