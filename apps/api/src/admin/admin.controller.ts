/**
 * Serves the built admin console (apps/admin, `npm run build` -> dist/admin) at /admin: its hashed
 * assets as files, every other path under /admin as index.html, so the console's own router handles
 * deep links like /admin/kbs/…/faqs after a reload. Its scripts and styles go gzipped to browsers
 * that accept it (sent plain, the first load was 1.7 MB; nothing in front compresses them).
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** Text assets worth compressing (images and fonts are compressed already). */
const COMPRESSIBLE = new Set(['.js', '.css', '.svg', '.json', '.html', '.map']);
/** Gzipped assets kept (a build has a few dozen; a rebuild's new names replace them over time). */
const GZIPPED_KEPT = 200;

@ApiExcludeController()
@Controller()
export class AdminController {
  /** Each asset's gzip, by path, made once per file version (size and mtime). */
  private readonly gzipped = new Map<string, { version: string; gzip: Buffer }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('admin')
  async index(@Res() res: Response): Promise<void> {
    await this.sendIndex(res);
  }

  @Get('admin/*path')
  async file(
    @Param('path') path: string | string[],
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const relative = normalize(Array.isArray(path) ? path.join('/') : path);
    const inside = !relative.startsWith('..') && !relative.includes(`${sep}..`) && !relative.startsWith(sep);
    if (inside && (await isFile(join(this.config.adminDir, relative)))) {
      // Vite puts a content hash in every asset's name: a changed file is a new URL.
      if (relative.startsWith(`assets${sep}`))
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      if (COMPRESSIBLE.has(extname(relative))) {
        res.vary('Accept-Encoding');
        if (
          req.acceptsEncodings('gzip', 'identity') === 'gzip' &&
          !relative.split(sep).some((p) => p.startsWith('.'))
        ) {
          const gzip = await this.gzipOf(join(this.config.adminDir, relative));
          res.type(extname(relative)).setHeader('Content-Encoding', 'gzip').send(gzip);
          return;
        }
      }
      res.sendFile(relative, { root: this.config.adminDir, dotfiles: 'deny' });
      return;
    }
    if (relative.startsWith(`assets${sep}`)) throw new NotFoundException(`admin asset ${relative} not found`);
    await this.sendIndex(res);
  }

  private async gzipOf(file: string): Promise<Buffer> {
    const { size, mtimeMs } = await stat(file);
    const version = `${size}:${mtimeMs}`;
    const kept = this.gzipped.get(file);
    if (kept?.version === version) return kept.gzip;
    const gzip = gzipSync(await readFile(file), { level: 9 });
    if (this.gzipped.size >= GZIPPED_KEPT) this.gzipped.clear();
    this.gzipped.set(file, { version, gzip });
    return gzip;
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
