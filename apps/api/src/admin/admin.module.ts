/**
 * The admin console's static files, served by the API at /admin.
 */
import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';

@Module({ controllers: [AdminController] })
export class AdminModule {}
