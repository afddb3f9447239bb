import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/decorators/auth.decorators';

/** The lab's mark: a screen with a play button, in the site's blue. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#0b5cad"/>
<rect x="5" y="7" width="22" height="14" rx="2" fill="#fff"/>
<path d="M14 10.5v7l6-3.5z" fill="#0b5cad"/>
<rect x="11" y="23" width="10" height="2.5" rx="1" fill="#fff"/>
</svg>
`;

/** The icon browsers ask for, so they find one instead of logging a 404 on every page. */
@ApiExcludeController()
@Public()
@Controller()
export class FaviconController {
  @Get('favicon.svg')
  svg(@Res() res: Response): void {
    res.type('image/svg+xml').setHeader('Cache-Control', 'public, max-age=86400').send(FAVICON_SVG);
  }

  /** Browsers that ignore the page's `<link rel=icon>` still ask for this name. */
  @Get('favicon.ico')
  ico(@Res() res: Response): void {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.redirect(301, '/favicon.svg');
  }
}
