import { readFile, writeFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { schema } from './index.js';

/** Prints schema.graphql from the Pothos schema; with --check, fails when the committed file differs. */
const file = new URL('../../schema.graphql', import.meta.url);
const printed = printSchema(schema) + '\n';

if (process.argv.includes('--check')) {
  const committed = await readFile(file, 'utf8').catch(() => '');
  if (committed !== printed) {
    console.error('schema.graphql is out of date: run `npm run schema:print` and commit it.');
    process.exit(1);
  }
  console.log('schema.graphql matches the code.');
} else {
  await writeFile(file, printed);
  console.log('wrote schema.graphql');
}
