// Run a new container with another's volumes (--volumes-from): pick the source, image, name, command
// and mode, confirm the plan; the container is created and started.
// Design notes (script argument): docs/ui.md#srccommandsrunwithvolumesfromts
import * as vscode from 'vscode';
import { call } from '../core/engine/engine';
import { executeRunWithVolumesFrom, planRunWithVolumesFrom, type RunWithVolumesFromResult } from '../core/operations/migrations/runWithVolumesFrom';
import { defineCommand } from '../services';
import { dataOpContext } from './dataOpProgress';
import { confirmPlan, runPlan } from './migrationUi';
import { Cancelled, containerArg } from './targets';

export const runWithVolumesFrom = defineCommand({
  id: 'containerVolumes.runWithVolumesFrom',
  changesData: true,
  options: { image: 'string', name: 'string', command: 'stringOrStrings', mode: ['ro', 'rw'], start: 'boolean' },
  async run(services, { target, options: o }): Promise<RunWithVolumesFromResult> {
    const source = await containerArg(services, target);
    const ctx = dataOpContext(services);
    const title = vscode.l10n.t('Run a new container with the volumes of {0}', source.name);
    let image = o.image;
    if (!image) {
      const tags = (await call(() => ctx.docker.listImages()))
        .flatMap((i) => i.RepoTags ?? [])
        .filter((t) => t !== '<none>:<none>')
        .sort();
      const picked = await services.prompter.quickPick(
        tags.map((t) => ({ label: t })),
        { title, placeHolder: vscode.l10n.t('The image of the new container (local images)') },
      );
      if (!picked) throw new Cancelled();
      image = picked.label;
    }
    let name = o.name;
    if (!name) {
      const taken = new Set(services.inventory.current?.containers.map((c) => c.name) ?? []);
      name = await services.prompter.inputBox({
        title,
        prompt: vscode.l10n.t('Name of the new container'),
        value: `${source.name}-data`,
        validateInput: (s) =>
          !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(s)
            ? vscode.l10n.t('Letters, digits, "_", "." and "-", starting with a letter or digit.')
            : taken.has(s)
              ? vscode.l10n.t('A container named "{0}" already exists.', s)
              : undefined,
      });
      if (!name) throw new Cancelled();
    }
    // A list is the command as it is; a string is a line split as a shell would; absent, it is asked.
    let command: string[] | undefined = typeof o.command === 'string' ? splitCommand(o.command) : o.command?.slice();
    if (command === undefined) {
      const line = await services.prompter.inputBox({
        title,
        prompt: vscode.l10n.t("Command (empty: the image's own)"),
        placeHolder: 'sh -c "tail -f /logs/log"',
      });
      if (line === undefined) throw new Cancelled();
      command = splitCommand(line);
    }
    let mode = o.mode;
    if (!mode) {
      const picked = await services.prompter.quickPick(
        [
          { label: vscode.l10n.t('Read-write'), description: ':rw', mode: 'rw' as const },
          { label: vscode.l10n.t('Read-only'), description: ':ro', mode: 'ro' as const },
        ],
        { title, placeHolder: vscode.l10n.t('How the new container mounts the volumes of {0}', source.name) },
      );
      if (!picked) throw new Cancelled();
      mode = picked.mode;
    }
    const plan = await planRunWithVolumesFrom(ctx, {
      source: source.id,
      image,
      name,
      command,
      mode,
      start: o.start !== false,
      labels: services.resourceLabels.container,
    });
    await confirmPlan(services, plan, vscode.l10n.t('Run'), [
      vscode.l10n.t('Mounts from {0}: {1}', plan.facts.source, plan.facts.mounts || vscode.l10n.t('nothing')),
    ]);
    const result = await runPlan(services, ctx, plan, vscode.l10n.t('Creating {0}', name), executeRunWithVolumesFrom);
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} runs with the volumes of {1}.', result.name, source.name));
    return result;
  },
});

/** A command line split on blanks, with "..." and '...' kept together (no shell is involved). */
export function splitCommand(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return out;
}
