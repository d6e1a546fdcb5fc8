// Steps several UI test files take the same way in the real workbench.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextMenuCommand, viewPane } from './tree.mjs';

/** Our activity bar icon: clicked, it shows the Containers and Volumes views. */
export function ourIcon(page) {
  return page.locator('.part.activitybar .action-item a.action-label[aria-label^="Container Volumes"]');
}

/**
 * Adds `volume` to the workspace from its row's context menu and waits for its folder in the Explorer
 * (left showing). The Volumes view re-renders on engine events: a right-click can land on a row being
 * replaced (and so on another volume), so until the folder shows it asks again, three times at most.
 */
export async function addVolumeToWorkspace(page, volume) {
  const icon = ourIcon(page);
  await icon.waitFor({ timeout: 60000 });
  await icon.click();
  const volumes = viewPane(page, 'containerVolumes.volumes');
  const addedRow = page.locator('#workbench\\.parts\\.sidebar .explorer-folders-view .monaco-list-row', { hasText: `volume ${volume}` }).first();
  for (let attempt = 1; ; attempt++) {
    await contextMenuCommand(page, volumes, (r) => r.level === 2 && r.label === volume, `${volume} row`, 'Add to Workspace');
    await page.locator('.part.activitybar .action-item a.action-label[aria-label^="Explorer"]').first().click();
    if (
      await addedRow.waitFor({ timeout: 20000 }).then(
        () => true,
        () => false,
      )
    )
      return;
    if (attempt === 3) throw new Error(`Add to Workspace did not add ${volume} in 3 attempts`);
    await icon.click();
  }
}

/** Takes the engine choice (`containerVolumes.dockerHost`, `.dockerContext`) out of the run's machine settings, so that the files after this one meet the run's engine. */
export function forgetEngineChoice(run) {
  const machineSettings = join(run.userData, 'Machine', 'settings.json');
  if (!existsSync(machineSettings)) return;
  const s = JSON.parse(readFileSync(machineSettings, 'utf8') || '{}');
  delete s['containerVolumes.dockerHost'];
  delete s['containerVolumes.dockerContext'];
  writeFileSync(machineSettings, JSON.stringify(s, null, 2));
}
