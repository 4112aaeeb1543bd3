/**
 * Creating an organisation's first owner: shared by `wendao users create-owner`, the
 * WENDAO_OWNER_EMAIL/PASSWORD first start and the demo. The first user ever adopts the organisation
 * the migration made for KBs that existed before organisations (renamed to the name given).
 */
import { hashPassword, passwordProblem } from './password';
import type { AuthRepository } from './auth.repository';

export interface NewOwner {
  email: string;
  password: string;
  organisation: string;
  name?: string;
}

export interface CreatedOwner {
  userId: string;
  organisationId: string;
  organisationName: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Why `owner` cannot be created, said without a database (the CLI checks before it starts one), or
 * undefined. Without `password` only the email and the organisation are checked.
 */
export function newOwnerProblem(
  owner: Omit<NewOwner, 'password'> & { password?: string },
): string | undefined {
  const email = owner.email.trim();
  if (!EMAIL.test(email)) return `"${email}" is not an email address`;
  if (!owner.organisation.trim()) return 'the organisation needs a name';
  return owner.password === undefined ? undefined : passwordProblem(owner.password);
}

export async function createOwner(repo: AuthRepository, owner: NewOwner): Promise<CreatedOwner> {
  const email = owner.email.trim();
  const organisation = owner.organisation.trim();
  const problem = newOwnerProblem(owner);
  if (problem) throw new Error(problem);
  const passwordHash = await hashPassword(owner.password);
  return repo.transaction(async (tx) => {
    if (await tx.userByEmail(email)) throw new Error(`a user with the email ${email} already exists`);
    const firstUser = (await tx.userCount()) === 0;
    const orgs = await tx.organisations();
    let org = orgs.find((o) => o.name === organisation);
    if (!org && firstUser && orgs.length === 1 && orgs[0].members === 0) {
      org = orgs[0];
      await tx.renameOrganisation(org.id, organisation);
    }
    const organisationId = org?.id ?? (await tx.createOrganisation(organisation));
    const userId = await tx.createUser(email, owner.name?.trim() ?? '', passwordHash);
    await tx.addMembership(organisationId, userId, 'owner');
    return { userId, organisationId, organisationName: organisation };
  });
}
