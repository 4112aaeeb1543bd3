/**
 * HTTP shape of /api/auth: login (sets the session cookie), the current user, logout.
 */
import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LoginDto } from './auth.dto';
import { AuthService, SESSION_COOKIE, type MeView } from './auth.service';
import { RequestAccess, type Access } from './caller';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Res({ passthrough: true }) res: Response): Promise<MeView> {
    const { token, me, expires } = await this.auth.login(dto.email, dto.password);
    res.cookie(SESSION_COOKIE, token, this.auth.cookieOptions(expires));
    return me;
  }

  @Get('me')
  me(@RequestAccess() access: Access, @Req() req: Request): MeView {
    return this.auth.me(access.caller, req);
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@RequestAccess() access: Access, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(access.caller);
    res.clearCookie(SESSION_COOKIE, this.auth.cookieOptions());
  }
}
