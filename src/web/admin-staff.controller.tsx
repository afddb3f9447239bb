import { Body, Controller, Get, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CreateStaffDto, UpdateStaffDto } from '../accounts/dto/secret.dto';
import { StaffService } from '../accounts/staff.service';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { field, Pages, readForm } from './pages.service';
import { StaffAdminPage } from './views/admin-staff';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Librarians keep the desk and librarian accounts, as `/api/staff`. */
/** The new-account form's labels for the API's field names. */
const STAFF_WORDS = { name: 'Name', email: 'E-mail', role: 'Role' };

@ApiExcludeController()
@Roles('librarian')
@Controller('admin/staff')
export class AdminStaffController {
  constructor(
    private readonly pages: Pages,
    private readonly staff: StaffService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const ctx = this.pages.context(req, res);
    this.pages.send(res, <StaffAdminPage ctx={ctx} accounts={await this.staff.list()} />);
  }

  /** As `POST /api/staff`. */
  @Post()
  async create(
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() actor: User,
  ): Promise<void> {
    await this.pages.act(
      res,
      { success: '/admin/staff', failure: '/admin/staff' },
      async () => {
        const { user } = await this.staff.create(await readForm(CreateStaffDto, body), actor);
        return `Created ${user.name}'s account and e-mailed ${user.email} a link to choose a password.`;
      },
      STAFF_WORDS,
    );
  }

  /** As `PATCH /api/staff/:id`: one form changes the role, another switches the account off or on. */
  @Post(':id')
  async update(
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() actor: User,
  ): Promise<void> {
    await this.pages.act(res, { success: '/admin/staff', failure: '/admin/staff' }, async () => {
      const disabled = field(body, 'disabled');
      const dto = await readForm(UpdateStaffDto, {
        role: field(body, 'role'),
        disabled: disabled === undefined ? undefined : disabled === 'true',
      });
      if (!UUID.test(id)) throw new NotFoundException('There is no staff account with that id.');
      const user = await this.staff.update(id, dto, actor);
      if (dto.disabled !== undefined)
        return `${user.name}'s account is switched ${dto.disabled ? 'off' : 'back on'}.`;
      return `${user.name} is now ${user.role === 'librarian' ? 'a librarian' : 'desk staff'}.`;
    });
  }
}
