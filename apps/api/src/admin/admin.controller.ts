/**
 * Serves the built admin console (apps/admin, `npm run build` -> dist/admin) at /admin: its hashed
 * assets as files, every other path under /admin as index.html, so the console's own router handles
 * deep links like /admin/kbs/…/faqs after a reload. Its scripts and styles go gzipped to browsers
 * that accept it (the app's compression middleware, create-app.ts; sent plain, the first load was
 * 1.7 MB).
 */
import { stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

@ApiExcludeController()
@Controller()
export class AdminController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('admin')
  async index(@Res() res: Response): Promise<void> {
    await this.sendIndex(res);
  }

  @Get('admin/*path')
  async file(@Param('path') path: string | string[], @Res() res: Response): Promise<void> {
    const relative = normalize(Array.isArray(path) ? path.join('/') : path);
    const inside = !relative.startsWith('..') && !relative.includes(`${sep}..`) && !relative.startsWith(sep);
    if (inside && (await isFile(join(this.config.adminDir, relative)))) {
      // Vite puts a content hash in every asset's name: a changed file is a new URL.
      if (relative.startsWith(`assets${sep}`))
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.sendFile(relative, { root: this.config.adminDir, dotfiles: 'deny' });
      return;
    }
    if (relative.startsWith(`assets${sep}`)) throw new NotFoundException(`admin asset ${relative} not found`);
    await this.sendIndex(res);
  }

  private async sendIndex(res: Response): Promise<void> {
    if (!(await isFile(join(this.config.adminDir, 'index.html'))))
      throw new NotFoundException(
        `the admin console is not built (${this.config.adminDir}): run npm run build`,
      );
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: this.config.adminDir });
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
