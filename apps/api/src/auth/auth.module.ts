/**
 * Access control: users, organisations, sessions, API keys and the global AccessGuard that applies
 * access-rules.ts to every route. Global, so other modules can read who is calling.
 */
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessEvents } from './access-events';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { FirstOwnerService } from './first-owner.service';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsService } from './organisations.service';

@Global()
@Module({
  controllers: [AuthController, OrganisationsController],
  providers: [
    AccessEvents,
    AuthRepository,
    AuthService,
    OrganisationsService,
    FirstOwnerService,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AccessEvents, AuthRepository, AuthService, FirstOwnerService],
})
export class AuthModule {}
