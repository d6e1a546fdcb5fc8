// Migrate a container to a new image keeping its volumes (the seed's upgrade recipe, S6): pick the
// container and the image, confirm, and it runs with progress and rolls back on failure.
import * as vscode from 'vscode';
import { call } from '../core/engine';
import { migrateContainer as migrate } from '../core/migrateContainer';
import type { CommandSpec } from '../services';
import { argObject, Cancelled, containerArg } from './targets';
import { say } from '../coreText';

export const migrateContainer: CommandSpec = {
  id: 'containerVolumes.migrateContainer',
  changesData: true,
  async run(services, arg) {
    const o = argObject(arg);
    const container = await containerArg(services, arg);
    const engine = services.engine.get();
    let image = typeof o.image === 'string' ? o.image : undefined;
    if (!image) {
      const images = await call(() => engine.docker.listImages());
      const tags = images.flatMap((i) => i.RepoTags ?? []).filter((t) => t !== '<none>:<none>').sort();
      const picked = await services.prompter.quickPick(tags.map((t) => ({ label: t, description: t === container.image ? vscode.l10n.t('current image') : undefined })), {
        title: vscode.l10n.t('Migrate {0} to a new image', container.name),
        placeHolder: vscode.l10n.t('The image the new container runs (it keeps every volume of {0})', container.name),
      });
      if (!picked) throw new Cancelled();
      image = picked.label;
    }
    const go = vscode.l10n.t('Migrate');
    const goKeep = vscode.l10n.t('Migrate and Keep the Old Container');
    const answer = await services.prompter.warning(
      vscode.l10n.t('Migrate {0} from {1} to {2}?', container.name, container.image, image),
      {
        modal: true,
        detail: vscode.l10n.t('{0} is stopped and replaced by a new container of the same name that mounts all its volumes (--volumes-from). If the new one does not stay up, the old one is restored and started again.', container.name),
      },
      go, goKeep,
    );
    if (answer === undefined) throw new Cancelled();
    const keepOld = answer === goKeep;
    const chosen = image;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Migrating {0}', container.name), cancellable: true },
      async (progress, token) => {
        const ctl = new AbortController();
        const sub = token.onCancellationRequested(() => ctl.abort());
        try {
          return await migrate(engine, {
            container: container.id, image: chosen, keepOld, signal: ctl.signal,
            ...(typeof o.stopTimeoutSeconds === 'number' ? { stopTimeoutSeconds: o.stopTimeoutSeconds } : {}),
            progress: (p) => progress.report({ message: p.message && say(p.message) }),
          });
        } finally {
          sub.dispose();
        }
      },
    );
    await services.inventory.refresh();
    void vscode.window.showInformationMessage(result.oldName
      ? vscode.l10n.t('{0} now runs {1}; the old container is kept, stopped, as {2}.', result.name, chosen, result.oldName)
      : vscode.l10n.t('{0} now runs {1}, with all its volumes.', result.name, chosen));
    return result;
  },
};
