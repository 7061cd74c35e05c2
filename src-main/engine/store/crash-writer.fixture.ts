// Child process for the crash test: writes to the store at argv[2] in a tight loop and prints one
// line per acknowledged write ("<op> <revision> <key> <value>") until it is killed.
import { once } from 'node:events';
import { openSqliteStore } from './sqlite-store';

const [file, round = '0'] = process.argv.slice(2);
const store = openSqliteStore(file);
process.stdout.write(`ready ${store.currentRevision()}\n`);
for (let i = 0; ; i++) {
  const key = `/crash/k${i % 97}`;
  const value = `${round}:${i}:${'x'.repeat(i % 300)}`;
  const cur = store.get(key);
  let line: string;
  if (cur === undefined) line = `c ${store.create(key, value)} ${key} ${value}`;
  else if (i % 13 === 0) line = `d ${store.delete(key, cur.modRevision)} ${key} -`;
  else line = `u ${store.update(key, value, cur.modRevision)} ${key} ${value}`;
  // The line is printed only after the write returned, so whatever the parent reads was acknowledged.
  if (!process.stdout.write(`${line}\n`)) await once(process.stdout, 'drain');
}
