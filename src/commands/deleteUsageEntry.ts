// Delete…, from the Disk Usage view: removes a file or a folder with everything in it from the
// volume after a modal confirmation that says how much goes, then takes it out of the view.
import * as vscode from 'vscode';
import { formatBytes } from '../core/files/diskUsage';
import { defineCommand } from '../services';
import { Cancelled } from './targets';
import { usageEntry } from './usageEntryTarget';

export const deleteUsageEntry = defineCommand({
  id: 'containerVolumes.deleteUsageEntry',
  changesData: true,
  async run(services, { target }) {
    const e = usageEntry(target);
    const del = vscode.l10n.t('Delete');
    const detail =
      e.kind === 'folder'
        ? e.entries === 1
          ? vscode.l10n.t('The folder and the 1 entry in it ({0}) are removed from the volume. This cannot be undone.', formatBytes(e.bytes))
          : vscode.l10n.t('The folder and the {0} entries in it ({1}) are removed from the volume. This cannot be undone.', e.entries, formatBytes(e.bytes))
        : vscode.l10n.t('The file ({0}) is removed from the volume. This cannot be undone.', formatBytes(e.bytes));
    const answer = await services.prompter.warning(vscode.l10n.t('Delete {0}?', e.path), { modal: true, detail }, del);
    if (answer !== del) throw new Cancelled();
    await vscode.workspace.fs.delete(e.uri, { recursive: true, useTrash: false });
    services.volumeSearch.usage.removed(e.path, e.bytes, e.entries);
    services.volumeSearch.markStale(e.uri);
    return e.uri.toString();
  },
});
