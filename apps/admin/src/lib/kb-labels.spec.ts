import { describe, expect, it } from 'vitest';
import { kbLabels, organisationLabels } from './kb-labels';

describe('kbLabels', () => {
  const organisations = [
    { organisationId: 'org-east', organisationName: '华东分公司' },
    { organisationId: 'org-west', organisationName: '华西分公司' },
    { organisationId: 'org-west-2', organisationName: '华西分公司' },
  ];

  it('says a name alone when no other listed KB is named alike', () => {
    const kbs = [
      { id: 'aaaaaaaa-1111', name: '售后', organisationId: 'org-east' },
      { id: 'bbbbbbbb-2222', name: '物流', organisationId: 'org-west' },
    ];
    const labels = kbLabels(kbs, organisations);
    expect(labels.get('aaaaaaaa-1111')).toBe('售后');
    expect(labels.get('bbbbbbbb-2222')).toBe('物流');
  });

  it("tells KBs of two organisations named alike (in any case) apart by the organisation's name", () => {
    const kbs = [
      { id: 'aaaaaaaa-1111', name: '售后', organisationId: 'org-east' },
      { id: 'bbbbbbbb-2222', name: '售后', organisationId: 'org-west' },
      { id: 'cccccccc-3333', name: 'Shop', organisationId: 'org-east' },
      { id: 'dddddddd-4444', name: 'shop', organisationId: 'org-west' },
      { id: 'eeeeeeee-5555', name: '物流', organisationId: 'org-west' },
    ];
    const labels = kbLabels(kbs, organisations);
    expect([...labels.values()]).toEqual([
      '售后 · 华东分公司',
      '售后 · 华西分公司',
      'Shop · 华东分公司',
      'shop · 华西分公司',
      '物流',
    ]);
  });

  it("adds the id's first characters where the organisations read alike too, or one is not known", () => {
    const kbs = [
      { id: 'aaaaaaaa-1111', name: '售后', organisationId: 'org-west' },
      { id: 'bbbbbbbb-2222', name: '售后', organisationId: 'org-west-2' },
      { id: 'cccccccc-3333', name: '售后', organisationId: 'org-east' },
      { id: 'dddddddd-4444', name: 'FAQ', organisationId: 'org-unknown' },
      { id: 'eeeeeeee-5555', name: 'FAQ' },
    ];
    const labels = kbLabels(kbs, organisations);
    expect([...labels.values()]).toEqual([
      '售后 · 华西分公司 · aaaaaaaa',
      '售后 · 华西分公司 · bbbbbbbb',
      '售后 · 华东分公司',
      'FAQ · dddddddd',
      'FAQ · eeeeeeee',
    ]);
    // Without the memberships (an older server): the names and the ids.
    expect(kbLabels(kbs.slice(0, 2)).get('aaaaaaaa-1111')).toBe('售后 · aaaaaaaa');
  });
});

describe('organisationLabels', () => {
  it("names each of a user's several organisations, those named alike by their id's start", () => {
    const labels = organisationLabels([
      { organisationId: 'eeeeeeee-east', organisationName: '华东分公司' },
      { organisationId: 'wwwwwwww-west', organisationName: '华西分公司' },
      { organisationId: 'xxxxxxxx-west', organisationName: '华西分公司' },
    ]);
    expect([...labels.entries()]).toEqual([
      ['eeeeeeee-east', '华东分公司'],
      ['wwwwwwww-west', '华西分公司 · wwwwwwww'],
      ['xxxxxxxx-west', '华西分公司 · xxxxxxxx'],
    ]);
  });

  it('is empty for a user in one organisation, who sees no Organisation column', () => {
    expect(organisationLabels([{ organisationId: 'o1', organisationName: 'Shop' }]).size).toBe(0);
    expect(organisationLabels([]).size).toBe(0);
    expect(organisationLabels(undefined).size).toBe(0);
  });
});
