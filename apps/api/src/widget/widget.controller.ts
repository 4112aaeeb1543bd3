/**
 * Serves the built chat widget (apps/widget, one file) at /widget.js, loadable by any shop page:
 * the widget key's allowed origins, not this response, decide who may chat. Gzipped for browsers
 * that accept it: every shop page a customer opens loads it.
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

@ApiExcludeController()
@Controller()
export class WidgetController {
  /** The file as last read and its gzip (level 9), made again only when the file changes. */
  private gzipped?: { code: Buffer; gzip: Buffer };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('widget.js')
  async widget(@Req() req: Request, @Res() res: Response): Promise<void> {
    let code: Buffer;
    try {
      code = await readFile(this.config.widgetFile);
    } catch {
      throw new NotFoundException(
        `the chat widget is not built (${this.config.widgetFile}): run npm run build`,
      );
    }
    res
      .status(200)
      .type('application/javascript; charset=utf-8')
      // helmet's default same-origin policy would keep other sites from loading the script.
      .setHeader('Cross-Origin-Resource-Policy', 'cross-origin')
      .setHeader('Cache-Control', 'public, max-age=300')
      // Nothing else compresses it: not this server, not the nginx of docker-compose.yml. Sent
      // plain, it was 63 KB for every shop page where about 20 KB do.
      .vary('Accept-Encoding');
    if (req.acceptsEncodings('gzip', 'identity') !== 'gzip') {
      res.send(code);
      return;
    }
    if (!this.gzipped?.code.equals(code)) this.gzipped = { code, gzip: gzipSync(code, { level: 9 }) };
    res.setHeader('Content-Encoding', 'gzip').send(this.gzipped.gzip);
  }
}
