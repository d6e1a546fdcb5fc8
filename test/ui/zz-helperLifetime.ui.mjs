// Runs last: a volume open as a folder has a running helper container; the extension host is then
// killed with SIGKILL (no deactivate, no cleanup of ours runs) and the helper must remove itself.
// Helpers that outlived their window kept volumes "in use" and made `npm start -- --demo`'s removal lie.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeed, removeSeed } from '../../scripts/seed.mjs';
import { contextMenuCommand, viewPane } from './lib/tree.mjs';

export const title = 'A helper does not outlive a killed extension host';
const LABEL = 'dev.container-volumes.test=ui-lifetime';

/** The extension host processes of this run (they carry the run's marker in their environment). */
function extensionHosts(runId) {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return (
          readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(`HARNESS_RUN_ID=${runId}`) &&
          /extensionHost|bootstrap-fork.*--type=extensionHost/.test(readFileSync(`/proc/${p}/cmdline`, 'latin1').replace(/\0/g, ' '))
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}
/** Running helpers (lock containers are created, never started, and not what this is about) of these owners. */
const helpersOf = (pids) => {
  const owners = new Set(pids.map((p) => `${hostname()}:${p}`));
  return execFileSync('docker', ['ps', '--filter', 'label=dev.container-volumes.helper', '--format', '{{.ID}} {{.Label "dev.container-volumes.owner"}}'], {
    encoding: 'utf8',
  })
    .split('\n')
    .map((l) => l.split(' '))
    .filter(([id, owner]) => id && owners.has(owner))
    .map(([id]) => id);
};

export default async function ({ page, open, check, say, run }) {
  removeSeed({ label: LABEL });
  const bindDir = mkdtempSync(join(tmpdir(), 'cv-ui-lifetime-'));
  try {
    const n = createSeed({ label: LABEL, bindDir, volume: 'lifetime_data' });
    await open();
    const explorerIcon = page.locator('.part.activitybar .action-item a.action-label[aria-label^="Explorer"]').first();
    const waitHelpers = async (tries) => {
      let hosts = extensionHosts(run.runId);
      let helpers = helpersOf(hosts);
      for (let i = 0; i < tries && helpers.length === 0; i++) {
        await page.waitForTimeout(500);
        hosts = extensionHosts(run.runId);
        helpers = helpersOf(hosts);
      }
      return { hosts, helpers };
    };
    // Volume folders earlier tests left in the workspace: the Explorer lists them, which starts helpers.
    await explorerIcon.click();
    let { hosts, helpers } = await waitHelpers(40);
    for (let attempt = 0; attempt < 3 && !helpers.length; attempt++) {
      // none (this file run alone): open one; the Volumes view re-renders on engine events, so retry
      try {
        await page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]').click();
        const volumes = viewPane(page, 'containerVolumes.volumes');
        await contextMenuCommand(page, volumes, (r) => r.level === 2 && r.label === n.volume, `${n.volume} row`, 'Add to Workspace');
        await explorerIcon.click();
        await page.locator('#workbench\\.parts\\.sidebar .explorer-folders-view .monaco-list-row', { hasText: n.volume }).first().waitFor({ timeout: 20000 });
      } catch (e) {
        say(`opening ${n.volume} as a folder, attempt ${attempt + 1}: ${String(e?.message ?? e).split('\n')[0]}`);
      }
      ({ hosts, helpers } = await waitHelpers(40));
    }
    say(`extension host pid(s): ${hosts.join(', ')}; their helpers: ${helpers.join(', ')}`);
    check('the open volume folder has a running helper owned by the extension host', helpers.length > 0, `hosts ${hosts.join(',')}`);
    if (!helpers.length) return;
    for (const p of hosts) process.kill(p, 'SIGKILL');
    const t0 = Date.now();
    let left = helpers;
    while (left.length && Date.now() - t0 < 60000) {
      await page.waitForTimeout(500);
      left = helpers.filter((id) => execFileSync('docker', ['ps', '-aq', '--filter', `id=${id}`], { encoding: 'utf8' }).trim() !== '');
    }
    check(
      'after SIGKILL of the extension host its helpers removed themselves',
      left.length === 0,
      left.length ? `still there after 60 s: ${left.join(', ')}` : `in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } finally {
    // the workspace folder may have started a helper in a restarted extension host: removeSeed waits for nothing
    removeSeed({ label: LABEL });
    rmSync(bindDir, { recursive: true, force: true });
  }
}
