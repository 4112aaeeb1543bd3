/**
 * At start, when no user exists: the owner from WENDAO_OWNER_EMAIL/PASSWORD, else (demo on) a demo
 * owner with a random password printed to the log, else a warning that says how to make one.
 */
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AuthRepository } from './auth.repository';
import { createOwner, type CreatedOwner, type NewOwner } from './first-owner';

export const DEMO_OWNER_EMAIL = 'demo@wendao.local';

@Injectable()
export class FirstOwnerService {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: AuthRepository,
  ) {}

  async ensureOwner(): Promise<void> {
    await this.repo.deleteExpiredSessions();
    if ((await this.repo.userCount()) > 0) return;
    const { owner } = this.config.auth;
    if (owner) {
      const made = await this.createFirst(owner);
      if (!made) return;
      this.logger.log(`created the first owner ${owner.email} of organisation "${made.organisationName}"`);
      return;
    }
    if (this.config.demo) {
      const password = randomBytes(12).toString('base64url');
      const made = await this.createFirst({
        email: DEMO_OWNER_EMAIL,
        password,
        organisation: 'Demo',
        name: 'Demo owner',
      });
      // Another process made the first user meanwhile: this password was never stored.
      if (!made) return;
      // Where a person logs in (the admin console), and what to do once this line has scrolled away:
      // another owner of the demo's organisation, made with the server stopped.
      const url = `http://localhost:${this.config.port}`;
      this.logger.warn(
        `no user existed: created the demo owner. Log in with email ${DEMO_OWNER_EMAIL} and password ${password} ` +
          `at the admin console ${url}/admin (or POST ${url}/api/auth/login); this password is shown only now. ` +
          `Lost it? Stop the server and run \`npx wendao users create-owner --email you@example.com ` +
          `--organisation ${made.organisationName} --password-stdin\` to add an owner of the demo's organisation.`,
      );
      return;
    }
    this.logger.warn(
      'no user exists: create the first owner with `wendao users create-owner --email … --password-stdin --organisation …` ' +
        'or start once with WENDAO_OWNER_EMAIL and WENDAO_OWNER_PASSWORD',
    );
  }

  /**
   * Creates the first owner, unless another process did meanwhile: replicas started together on a
   * fresh database each found no user, and all but one failed their start on the duplicate email.
   */
  private async createFirst(owner: NewOwner): Promise<CreatedOwner | undefined> {
    try {
      return await createOwner(this.repo, owner);
    } catch (err) {
      if ((await this.repo.userCount()) > 0) return undefined;
      throw err;
    }
  }
}
