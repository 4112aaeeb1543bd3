/**
 * The global guard: every HTTP route is checked against its rule in access-rules.ts. A route
 * without a rule is refused, so a forgotten rule fails closed (and fails access-rules.spec.ts).
 * Sockets authenticate in the chat gateway.
 */
import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ACCESS_RULES, ruleKey } from './access-rules';
import { AuthService } from './auth.service';
import type { RequestWithAccess } from './caller';

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<RequestWithAccess>();
    const key = ruleKey(req.method, (req.route as { path?: string } | undefined)?.path ?? req.path);
    const rule = Object.hasOwn(ACCESS_RULES, key) ? ACCESS_RULES[key] : undefined;
    if (!rule) throw new ForbiddenException(`no access rule for ${key}`);
    if (rule.access === 'public') return true;
    const caller = await this.auth.authenticate(req);
    req.access = await this.auth.authorize(caller, rule, req);
    return true;
  }
}
