import { describe, expect, it } from 'vitest';
import { nameComparator, sortByName } from '../../components/panel/collate';

describe('name order in the panel', () => {
  it('orders names of ASCII letters, digits and name punctuation as the browser collation does, without it', () => {
    const names = ['bob', 'Alice', 'alice', 'Zoe Smith', 'Carl Jr', 'carl', 'Ann Lee', 'Anna', 'Dana 2', 'Dana 10', '', 'Obrien', "O'Brien", 'O Brien', 'O-Brien', 'O.Brien', 'Smith, J.', 'Smith J', 'Mary-Jane', 'Maryjane'];
    const compare = nameComparator(names);
    expect(compare).not.toBe(new Intl.Collator().compare);
    const ours = [...names].sort(compare);
    expect(ours.slice(0, 6)).toEqual(['', 'alice', 'Alice', 'Ann Lee', 'Anna', 'bob']);
    expect(ours).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
  });

  it('uses the collation for the whole list once any name is outside that set', () => {
    const people = [{ name: 'Émile' }, { name: 'Zed' }, { name: 'Adam' }, { name: '王伟' }];
    expect(sortByName(people).map((p) => p.name)).toEqual(['Adam', 'Émile', 'Zed', '王伟']);
    const plain = [{ name: 'Emile' }, { name: 'Zed' }, { name: 'adam' }];
    expect(sortByName(plain).map((p) => p.name)).toEqual(['adam', 'Emile', 'Zed']);
  });
});
