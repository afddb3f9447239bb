import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { createInterface } from 'node:readline/promises';
import { AccountsService } from './accounts/accounts.service';
import { CreateStaffDto } from './accounts/dto/secret.dto';
import { StaffService } from './accounts/staff.service';
import { AppModule } from './app.module';
import { ManualsImporter } from './manuals/manuals-importer.service';
import { SeedService } from './seeding/seed.service';

const USAGE = `Usage:
  node dist/cli.js seed
  node dist/cli.js create-librarian <email> <name>   (password from DML_PASSWORD or asked for)
  node dist/cli.js create-staff <email> <name> [--librarian]
                                                     (prints a link to set the password, 7 days)
  node dist/cli.js manuals:import [--overwrite]      (manuals/*.md into the database)
  node dist/cli.js manuals:export                    (published manuals to manuals/*.md)`;

const COMMANDS = ['seed', 'create-librarian', 'create-staff', 'manuals:import', 'manuals:export'];

async function askPassword(): Promise<string> {
  if (process.env.DML_PASSWORD) return process.env.DML_PASSWORD;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await prompt.question('Password (at least 12 characters): ');
  prompt.close();
  return answer;
}

/**
 * A desk (or, with `--librarian`, librarian) account whose set-password link is printed rather
 * than e-mailed: whoever runs this is at the server and hands the link on, mail set up or not.
 */
async function createStaff(staff: StaffService, args: string[]): Promise<number> {
  const librarian = args.includes('--librarian');
  const [email, ...name] = args.filter((arg) => arg !== '--librarian');
  if (!email?.includes('@') || name.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const dto = plainToInstance(CreateStaffDto, {
    email,
    name: name.join(' '),
    role: librarian ? 'librarian' : 'staff',
  });
  const errors = await validate(dto);
  if (errors.length) {
    const messages = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    process.stderr.write(`${messages.join('; ')}\n`);
    return 2;
  }
  const { user, link } = await staff.create(dto, null, false);
  process.stdout.write(
    `Created ${user.role === 'librarian' ? 'librarian' : 'desk staff'} ${user.email}.\n` +
      `Give them this link to choose a password (it works once, for 7 days):\n${link}\n`,
  );
  return 0;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!COMMANDS.includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    if (command === 'seed') {
      // Starting the app context already seeds an empty database; a second pass finds nothing to do.
      const seeds = app.get(SeedService);
      const report = seeds.loadedAtStart ?? (await seeds.seed());
      process.stdout.write(
        `Loaded: ${JSON.stringify(report)} (zeros: the database already had them)\n`,
      );
      return 0;
    }
    if (command === 'manuals:import') {
      const report = await app
        .get(ManualsImporter)
        .importDirectory(undefined, rest.includes('--overwrite'));
      process.stdout.write(
        `Added ${report.added.length}, updated ${report.updated.length}, unchanged ${report.unchanged.length}.\n`,
      );
      for (const { slug, reason } of report.skipped)
        process.stdout.write(`Skipped ${slug}: ${reason}\n`);
      return report.skipped.length ? 1 : 0;
    }
    if (command === 'manuals:export') {
      const written = await app.get(ManualsImporter).exportDirectory();
      process.stdout.write(`Wrote ${written.length} manuals to manuals/.\n`);
      return 0;
    }
    if (command === 'create-staff') return await createStaff(app.get(StaffService), rest);
    const [email, ...name] = rest;
    if (!email?.includes('@') || name.length === 0) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const password = await askPassword();
    if (password.length < 12) {
      process.stderr.write('The password must be at least 12 characters.\n');
      return 2;
    }
    const user = await app
      .get(AccountsService)
      .createStaff('librarian', name.join(' '), email, password);
    process.stdout.write(`Created librarian ${user.email}.\n`);
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
