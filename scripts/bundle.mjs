// Bundles the compiled server (dist/, from `nest build`) with its packages into one file,
// dist/server/server.js, which dist/server/main.js (`npm start`) loads with V8's code cache (see
// src/server-loader.ts).
//
// Why: started from dist/main.js, the server spends most of its cold start finding, reading and
// compiling some 1,400 files of its packages one by one (Nest's ES modules through require(esm),
// TypeORM's drivers, class-validator's phone-number tables). One file starts in about two
// thirds of the time and CPU. Node 22's module compile cache would do some of this; Node 20 has
// none. The README's "Cold start" gives the figures.
//
// The folder keeps the tree's depths so that the paths the code builds from __dirname still
// land: seeds/ and manuals/ two levels up, web/assets/ beside it, the SQLite scan worker next to
// it (a second entry of its own).
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const out = join(dist, 'server');

/**
 * Left to Node: the native SQLite driver; swagger-ui-dist (served from its folder on disk); the
 * packages whose regular expressions hold letters beyond ASCII (see the check on the bundle's
 * characters below); and what Nest, pg and class-transformer load only when installed (none of
 * it is).
 */
const EXTERNAL = [
  'better-sqlite3',
  'swagger-ui-dist',
  'validator',
  'markdown-it',
  'ansis',
  'pg-native',
  '@nestjs/microservices',
  '@nestjs/websockets',
  '@fastify/static',
  'class-transformer/storage',
];

/**
 * Some of Nest's ES modules load a package through `createRequire(import.meta.url)`, which a
 * bundler cannot follow: left alone, @nestjs/typeorm would load a second TypeORM from
 * node_modules at start, and @nestjs/mapped-types a second class-validator and class-transformer
 * whose metadata (`PartialType`'s inherited rules) is not the bundle's. Their own `require` is
 * dropped, so each `require('…')` is the bundle's: one copy of each package.
 */
const OWN_REQUIRE = /^const require = createRequire\(import\.meta\.url\);$/m;

const oneCopyOfEachPackage = {
  name: 'one-copy-of-each-package',
  setup(bundler) {
    bundler.onLoad({ filter: /[\\/]node_modules[\\/]@nestjs[\\/].*\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      if (!OWN_REQUIRE.test(source)) return undefined;
      return { contents: source.replace(OWN_REQUIRE, ''), loader: 'js' };
    });
  },
};

await build({
  entryPoints: {
    main: join(dist, 'server-loader.js'),
    server: join(dist, 'main.js'),
    'sqlite-scan.worker': join(dist, 'database', 'sqlite-scan.worker.js'),
  },
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: EXTERNAL,
  // TypeORM names entities, and Nest its providers in logs, after their classes: names stay as
  // written even where two classes of one name meet in the bundle.
  keepNames: true,
  // Without comments and indentation the file is 7.6 MB rather than 11; names stay, so a stack
  // trace still names its functions.
  minifyWhitespace: true,
  // ES modules bundled into CommonJS have no import.meta; their file's URL is the bundle's.
  banner: { js: "const import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': 'import_meta_url' },
  plugins: [oneCopyOfEachPackage],
  logLevel: 'error',
});

// keepNames wraps named functions in a call that defines their `name`: where a function is
// declared inside another (Express's router, pino-http), on every call of the outer one, per
// request. Defining it costs about 0.8 µs and gives the function a shape of its own. It is needed
// only where the bundle renamed something (two modules' classes of one name); a function already
// named so, or an arrow function passed along with no name, is left as it is (the arrow stays
// unnamed: a stack trace still gives its place and the named function around it).
const NAME_HELPER =
  'var __name=(target,value)=>__defProp(target,"name",{value,configurable:true});';
const RENAMED_ONLY_HELPER =
  'var __name=(target,value)=>target.name===value||target.name===""?target:__defProp(target,"name",{value,configurable:true});';
const written = readFileSync(join(out, 'server.js'), 'utf8');
if (written.split(NAME_HELPER).length !== 2) {
  console.error(
    `esbuild's __name helper has changed; see RENAMED_ONLY_HELPER in scripts/bundle.mjs.`,
  );
  process.exit(1);
}
const bundled = written.replace(NAME_HELPER, RENAMED_ONLY_HELPER);
writeFileSync(join(out, 'server.js'), bundled);

// A package that still keeps a `require` of its own would load a second copy at start: stop the
// build and name it, rather than ship a slower server that may misbehave. (Nest's loader of
// optional packages calls createRequire at once, for what is not installed: not a stray.)
const strays = [
  ...bundled.matchAll(/^\s*(\w+) = \(0, \w+\.createRequire\)\(import_meta_url\);$/gm),
];
if (strays.length > 0) {
  console.error(
    `The bundle would load packages through its own require (${strays.map((m) => m[1]).join(', ')}): ` +
      'see oneCopyOfEachPackage in scripts/bundle.mjs.',
  );
  process.exit(1);
}

// V8 keeps a script's source at one byte a character only while every character is Latin-1;
// the bundler writes strings in ASCII but leaves regular expressions as they are. One letter
// beyond would have the 8 MB bundle held as 16 MB for the life of the server.
const wide = /[^\x00-\x7f]/.exec(bundled);
if (wide) {
  const around = bundled.slice(Math.max(0, wide.index - 80), wide.index + 20);
  console.error(
    `The bundle holds a character beyond ASCII, near:\n  ${around}\nLeave its package to Node (EXTERNAL in scripts/bundle.mjs).`,
  );
  process.exit(1);
}

// The loader names its code cache after the bundle it loads, so that no cache of another build
// is ever run (V8 checks only the source's length).
const loader = readFileSync(join(out, 'main.js'), 'utf8');
const placeholder = /(["'])SERVER_BUNDLE_DIGEST\1/g;
if ((loader.match(placeholder) ?? []).length !== 1) {
  console.error(
    'SERVER_BUNDLE_DIGEST is not in dist/server/main.js once; see src/server-loader.ts.',
  );
  process.exit(1);
}
const digest = createHash('sha256').update(bundled).digest('hex');
writeFileSync(join(out, 'main.js'), loader.replace(placeholder, `"${digest}"`));

cpSync(join(dist, 'web', 'assets'), join(out, 'web', 'assets'), { recursive: true });
console.log(`Bundled the server into ${relative(root, out)}/`);
