// Hand-made archives for the safety tests (malicious, truncated, corrupted).
import { writeFileSync } from 'node:fs';
import * as tar from 'tar-stream';

export interface Entry {
  header: Partial<tar.Header> & { name: string };
  body?: string;
}

export async function makeTar(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const e of entries) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ ...e.header, mtime: e.header.mtime ?? new Date(0) }, e.body ?? '', (err) => (err ? reject(err) : resolve())),
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export async function writeTar(file: string, entries: Entry[]): Promise<void> {
  writeFileSync(file, await makeTar(entries));
}

export const MALICIOUS: Record<string, Entry[]> = {
  'a "../x" entry': [
    { header: { name: 'ok.txt' }, body: 'fine' },
    { header: { name: '../x' }, body: 'escape' },
  ],
  'an absolute "/etc/x" entry': [
    { header: { name: 'ok.txt' }, body: 'fine' },
    { header: { name: '/etc/x' }, body: 'escape' },
  ],
  'a symlink and then a file written through it': [
    { header: { name: 'ok.txt' }, body: 'fine' },
    { header: { name: 'link', type: 'symlink', linkname: '/etc' } },
    { header: { name: 'link/x' }, body: 'through' },
  ],
  'a hard link out of the volume': [{ header: { name: 'ok.txt' }, body: 'fine' }, { header: { name: 'h', type: 'link', linkname: '../../../etc/passwd' } }],
};
