import { describe, expect, it } from 'vitest';
import { catalogObjectSql, changeSetOf, readWholeOnAnyChange, type ChangeEvent, type ChangeSources } from './changeSet.js';

const sources: ChangeSources = {
  objectOfKey: 'whole',
  tables: {
    day: 'key',
    calendar: { sql: 'SELECT dayID::text AS object FROM day WHERE calendarID::text = ANY($1)' },
    localcode: 'everything',
  },
};
const keys: Record<string, string> = { day: 'dayID', calendar: 'calendarID', localcode: 'localCodeID' };
const keyOf = (t: string): string | undefined => keys[t];
const ev = (table: string, objectKey: string, action: ChangeEvent['action'] = 'update', changedColumns: string[] | null = ['name']): ChangeEvent => ({
  table,
  objectKey,
  action,
  changedColumns,
});

describe('changeSetOf', () => {
  it('takes the object key of an event on the primary table as the record, whatever the action', () => {
    const set = changeSetOf(sources, [ev('day', '7'), ev('day', '8', 'insert', null), ev('day', '9', 'delete', null)], keyOf);
    expect(set).toEqual({ kind: 'objects', objects: new Set(['7', '8', '9']), traced: new Map() });
  });
  it('collects inserted and updated rows of a traced table for its SQL, once each', () => {
    const set = changeSetOf(sources, [ev('calendar', '3'), ev('calendar', '3'), ev('calendar', '4', 'insert', null)], keyOf);
    expect(set).toEqual({ kind: 'objects', objects: new Set(), traced: new Map([['calendar', new Set(['3', '4'])]]) });
  });
  it('ignores tables the resource does not read', () => {
    expect(changeSetOf(sources, [ev('student', '1'), ev('roster', '2', 'delete', null)], keyOf)).toEqual({
      kind: 'objects',
      objects: new Set(),
      traced: new Map(),
    });
  });
  it('extracts everything after a delete in a traced table, since its dependents can no longer be found', () => {
    expect(changeSetOf(sources, [ev('day', '1'), ev('calendar', '3', 'delete', null)], keyOf)).toEqual({
      kind: 'everything',
      why: 'a calendar row was deleted (the records that used it cannot be traced)',
    });
  });
  it('extracts everything when a traced row changes its key', () => {
    expect(changeSetOf(sources, [ev('calendar', '3', 'update', ['calendarid', 'name'])], keyOf)).toMatchObject({
      kind: 'everything',
      why: 'a calendar row changed its key',
    });
  });
  it('extracts everything when an update changes a column that moves the row between records (a day moved to another date), or does not say what it changed', () => {
    const moving: ChangeSources = { objectOfKey: 'whole', tables: { day: { sql: 'SELECT 1', movesWith: ['date', 'structureID'] } } };
    expect(changeSetOf(moving, [ev('day', '3', 'update', ['instruction'])], keyOf)).toEqual({
      kind: 'objects',
      objects: new Set(),
      traced: new Map([['day', new Set(['3'])]]),
    });
    expect(changeSetOf(moving, [ev('day', '3', 'update', ['structureid'])], keyOf)).toEqual({
      kind: 'everything',
      why: 'a day row changed its structureID, which moves it between records',
    });
    expect(changeSetOf(moving, [ev('day', '3', 'update', null)], keyOf)).toMatchObject({ kind: 'everything' });
    // A new day is traced where it lands.
    expect(changeSetOf(moving, [ev('day', '4', 'insert', null)], keyOf)).toMatchObject({ kind: 'objects', traced: new Map([['day', new Set(['4'])]]) });
  });
  it('skips an update that changed none of the columns the resource reads (a school day’s event code, for what counts its instruction)', () => {
    const counting: ChangeSources = { objectOfKey: 'whole', tables: { day: { sql: 'SELECT 1', reads: ['instruction', 'date'] } } };
    expect(changeSetOf(counting, [ev('day', '3', 'update', ['eventcode'])], keyOf)).toEqual({ kind: 'objects', objects: new Set(), traced: new Map() });
    expect(changeSetOf(counting, [ev('day', '3', 'update', ['eventcode', 'instruction'])], keyOf)).toEqual({
      kind: 'objects',
      objects: new Set(),
      traced: new Map([['day', new Set(['3'])]]),
    });
    // An update that does not say what changed, an insert or a delete always counts.
    expect(changeSetOf(counting, [ev('day', '4', 'update', null), ev('day', '5', 'insert', null)], keyOf)).toMatchObject({
      traced: new Map([['day', new Set(['4', '5'])]]),
    });
    expect(changeSetOf(counting, [ev('day', '6', 'delete', null)], keyOf)).toMatchObject({ kind: 'everything' });
  });
  it('extracts everything on a change in a table that feeds every record', () => {
    expect(changeSetOf(sources, [ev('localcode', '5')], keyOf)).toMatchObject({ kind: 'everything' });
  });
  it('names the catalog expression of a section-like key by the part before its dash', () => {
    expect(catalogObjectSql(sources)).toBe('source_key');
    expect(catalogObjectSql({ ...sources, objectOfKey: 'beforeDash' })).toBe("split_part(source_key, '-', 1)");
  });
});

describe('readWholeOnAnyChange (small resources)', () => {
  const small = readWholeOnAnyChange(['school', 'district']);
  it('reads nothing when none of its tables changed', () => {
    expect(changeSetOf(small, [ev('student', '1'), ev('day', '2')], keyOf)).toEqual({ kind: 'objects', objects: new Set(), traced: new Map() });
  });
  it('reads everything after any change in one of its tables', () => {
    expect(changeSetOf(small, [ev('student', '1'), ev('school', '2')], keyOf)).toEqual({
      kind: 'everything',
      why: 'a change in school, which feeds every record',
    });
  });
  it('reads nothing after an update of a column it does not read, when it says which it reads', () => {
    const keyedBySchoolNumber = readWholeOnAnyChange(['school'], { school: ['schoolID', 'stateSchoolNumber'] });
    const keys2 = (t: string): string | undefined => (t === 'school' ? 'schoolID' : undefined);
    expect(changeSetOf(keyedBySchoolNumber, [ev('school', '7', 'update', ['name'])], keys2)).toEqual({
      kind: 'objects',
      objects: new Set(),
      traced: new Map(),
    });
    for (const changed of [['stateschoolnumber'], ['schoolid'], null])
      expect(changeSetOf(keyedBySchoolNumber, [ev('school', '7', 'update', changed)], keys2).kind).toBe('everything');
    expect(changeSetOf(keyedBySchoolNumber, [ev('school', '7', 'insert', null)], keys2).kind).toBe('everything');
  });
});
