/**
 * Serves the built chat widget (apps/widget, one file) at /widget.js, loadable by any shop page:
 * the widget key's allowed origins, not this response, decide who may chat. Every shop page a
 * customer opens loads it: the app's compression middleware (create-app.ts) gzips it for browsers
 * that accept it.
 */
import { readFile } from 'node:fs/promises';
import { Controller, Get, Inject, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

@ApiExcludeController()
@Controller()
export class WidgetController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('widget.js')
  async widget(@Res() res: Response): Promise<void> {
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
      .send(code);
  }
}
