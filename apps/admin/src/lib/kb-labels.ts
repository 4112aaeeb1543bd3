/**
 * What a KB is called in lists and pickers that show the KBs of all the user's organisations (the KB
 * list, the analytics KB picker, the agent console): its name, and for KBs named alike (in any case)
 * the name of the organisation each belongs to. One organisation cannot hold two KBs named alike (the
 * database's unique index, migration KbNameUnique1767100000000), but two organisations can, and a user
 * in both sees them side by side. Where that still reads alike (organisations named alike, or one the
 * user is not shown), the KB's id's first characters follow, so no two read alike.
 */
import type { KnowledgeBase } from './types';

type Named = Pick<KnowledgeBase, 'id' | 'name' | 'organisationId'>;

/** An organisation's id and name, as the session's memberships give them. */
export interface OrganisationName {
  organisationId: string;
  organisationName: string;
}

const alike = (text: string) => text.toLocaleLowerCase();

/** Each KB's label by id. */
export function kbLabels(kbs: Named[], organisations: OrganisationName[] = []): Map<string, string> {
  const orgName = new Map(organisations.map((o) => [o.organisationId, o.organisationName]));
  const count = (keys: string[]) => {
    const n = new Map<string, number>();
    for (const key of keys) n.set(alike(key), (n.get(alike(key)) ?? 0) + 1);
    return (key: string) => n.get(alike(key)) ?? 0;
  };
  const named = count(kbs.map((kb) => kb.name));
  const withOrg = (kb: Named) => {
    const org = kb.organisationId ? orgName.get(kb.organisationId) : undefined;
    return named(kb.name) > 1 && org ? `${kb.name} · ${org}` : kb.name;
  };
  const labelled = count(kbs.map(withOrg));
  return new Map(
    kbs.map((kb) => {
      const label = withOrg(kb);
      return [kb.id, labelled(label) > 1 ? `${label} · ${kb.id.slice(0, 8)}` : label];
    }),
  );
}

/**
 * The KB list's Organisation column and filter, for a user in more than one organisation: each
 * organisation's name by id, those named alike followed by their id's first characters; an empty map
 * for a user in one (or none), who sees no column.
 */
export function organisationLabels(organisations: OrganisationName[] = []): Map<string, string> {
  if (organisations.length < 2) return new Map();
  const n = new Map<string, number>();
  for (const o of organisations)
    n.set(alike(o.organisationName), (n.get(alike(o.organisationName)) ?? 0) + 1);
  return new Map(
    organisations.map((o) => [
      o.organisationId,
      (n.get(alike(o.organisationName)) ?? 0) > 1
        ? `${o.organisationName} · ${o.organisationId.slice(0, 8)}`
        : o.organisationName,
    ]),
  );
}
