// Show Disk Usage: measures the volume (or a folder of it) with one pass of du in its helper, with
// progress and cancel, and shows the result in the Disk Usage view: folders biggest first, entries,
// the biggest files. Returns the root's size (tests, scripts).
import * as vscode from 'vscode';
import { volumeDiskUsage } from '../core/files/diskUsage';
import { fileUri } from '../model/VolumeSearch';
import { defineCommand } from '../services';
import { searchTarget, targetLabel } from './searchTarget';
import { Cancelled } from './targets';

export const showDiskUsage = defineCommand({
  id: 'containerVolumes.showDiskUsage',
  async run(services, { target }) {
    const t = await searchTarget(services, target);
    const search = services.volumeSearch;
    await vscode.commands.executeCommand('containerVolumes.diskUsage.focus');
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Measuring {0}', targetLabel(t)), cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          const vf = await search.files(t);
          const usage = await volumeDiskUsage(vf, {
            root: t.folder,
            signal: ac.signal,
            onProgress: (n) => progress.report({ message: n === 1 ? vscode.l10n.t('1 folder') : vscode.l10n.t('{0} folders', n) }),
          });
          search.usage.show(t.label ?? t.volume, usage, (p) => fileUri(t, p), t.volume);
          const root = usage.folders.get(usage.root);
          return { bytes: root?.bytes ?? 0, entries: root?.files ?? 0 };
        } catch (e) {
          if (ac.signal.aborted) throw new Cancelled();
          throw e;
        } finally {
          sub.dispose();
        }
      },
    );
  },
});
